"""Pages of the intel module: dashboard, documents and reader, facts, link review, search, upload."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.charts import bar_chart, pie_chart
from longcheng.core.errors import LongchengError
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.listing import ListQuery, content_disposition, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.intel import export
from longcheng.intel import permissions as perm
from longcheng.intel import service as intel_service
from longcheng.intel import tasks as intel_tasks
from longcheng.intel.api import upload_outcome
from longcheng.intel.extractor import EVENTS, KINDS
from longcheng.intel.models import LINK_STATUS_LABELS
from longcheng.intel.schemas import (
    EVENT_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    QUALIFIER_LABELS,
    SOURCE_KIND_LABELS,
    DocumentFilter,
    FactFilter,
    LinkDecision,
    LinkFilter,
    ManualLink,
    SearchForm,
)
from longcheng.intel.service import dashboard, links
from longcheng.intel.service.search import index_items_quietly, search
from longcheng.platform.jobs import exports, imports
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import started
from longcheng.registry import reference as ref

router = APIRouter(include_in_schema=False)
FactFilterDep = Annotated[FactFilter, Query()]
_YI = Decimal(10**10)  # fen per 亿元


def vocab() -> dict[str, Any]:
    """Labels and choices every intel page uses."""
    return {
        "kind_labels": KIND_LABELS,
        "event_labels": EVENT_LABELS,
        "qualifier_labels": QUALIFIER_LABELS,
        "method_labels": METHOD_LABELS,
        "status_labels": {k.value: v for k, v in LINK_STATUS_LABELS.items()},
        "source_kinds": SOURCE_KIND_LABELS,
        "kinds": KINDS,
        "events": EVENTS,
        "districts": ref.districts(),
        "zones": ref.zones(),
        "kind_options": [(k, KIND_LABELS[k]) for k in KINDS],
        "place_name": ref.place_name,
    }


def _yi(buckets: list[dashboard.Bucket]) -> list[float]:
    return [float(round(Decimal(b.amount_fen) / _YI, 2)) for b in buckets]


def _bars(title: str, buckets: list[dashboard.Bucket]) -> str:
    labels = [b.label for b in buckets]
    return bar_chart(
        title, labels, _yi(buckets), unit="亿元", grid_bottom=80, rotate=40, tooltip={"trigger": "axis"}
    )


@router.get("/intel")
def dashboard_page(request: Request, session: DbSession, actor: CurrentActor, year: str = "") -> Response:
    if actor.role is Role.enterprise:
        return RedirectResponse("/intel/facts", status_code=303)
    summary = dashboard.investment_summary(session, actor=actor, year=year or None)
    return render(
        request,
        "intel/dashboard.html",
        actor,
        s=summary,
        year=year,
        yi=lambda fen: f"{Decimal(fen) / _YI:,.2f}",
        month_chart=_bars("报道投资额（按月）", summary.by_month),
        district_chart=_bars("报道投资额（按区）", summary.by_district),
        event_chart=pie_chart(
            "报道投资额（按事件）",
            [b.label for b in summary.by_event],
            _yi(summary.by_event),
            tooltip={"trigger": "item"},
        ),
        **vocab(),
    )


@router.get("/intel/documents")
def documents_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: Annotated[DocumentFilter, Query()],
    page: int = 1,
) -> Response:
    result = intel_service.list_documents(session, actor=actor, filters=filters, page=page, page_size=20)
    return render_list(
        request, actor, "intel/documents.html", "intel/_documents.html", result, filters, **vocab()
    )


@router.get("/intel/documents/{document_id}")
def reader_page(document_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    document = intel_service.get_document(session, actor=actor, document_id=document_id)
    articles = intel_service.articles_of(session, actor=actor, document=document)
    facts = intel_service.facts_of(session, actor=actor, document=document)
    shown = []
    for article in articles:
        own = [f for f in facts if f.article_id == article.id]
        shown.append((article, export.mark_spans(article.text, export.fact_spans(own)), own))
    return render(request, "intel/reader.html", actor, document=document, articles=shown, **vocab())


@router.get("/intel/documents/{document_id}/original")
def original_download(
    document_id: int, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    document = intel_service.get_document(session, actor=actor, document_id=document_id)
    data = intel_service.original(document, actor=actor, data_dir=state_of(request).settings.data_dir)
    media = {"pdf": "application/pdf", "html": "text/html"}.get(document.kind, "text/plain")
    suffix = document.name.rsplit(".", 1)[-1] if "." in document.name else "txt"
    disposition = content_disposition(f"document-{document.id}.{suffix}")
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/intel/facts")
def facts_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FactFilterDep, page: int = 1
) -> Response:
    result = intel_service.list_facts(session, actor=actor, filters=filters, page=page, page_size=25)
    return render_list(request, actor, "intel/facts.html", "intel/_facts.html", result, filters, **vocab())


@router.get("/intel/facts/export.xlsx")
def facts_export(
    request: Request, session: DbSession, actor: CurrentActor, filters: FactFilterDep
) -> Response:
    """Exactly the filtered facts; above ``EXPORT_JOB_ROWS`` an ``intel.export`` job builds the file."""
    total = intel_service.list_facts(session, actor=actor, filters=filters, page=1, page_size=1).total
    if exports.too_many(request, total):
        params = {"filters": filters.model_dump(mode="json")}
        return exports.start_export(
            request, session, actor, kind=intel_tasks.EXPORT, params=params, rows=total
        )
    rows = intel_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(export.to_xlsx(rows), "intel-facts.xlsx")


@router.get("/intel/facts/{fact_id}")
def fact_page(fact_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    fact = intel_service.get_fact(session, actor=actor, fact_id=fact_id)
    local = [
        export.Span(
            fact.cue_start - fact.sentence_start,
            fact.cue_end - fact.sentence_start,
            fact.id,
            f"kind-{fact.kind}",
            export.fact_title(fact),
        )
    ]
    staff = actor.role is not Role.enterprise
    return render(
        request,
        "intel/fact.html",
        actor,
        fact=fact,
        sentence=export.mark_spans(fact.sentence, local),
        links=links.links_of(session, fact_id=fact.id) if staff else [],
        records=intel_service.history(session, actor=actor, fact=fact) if staff else [],
        **vocab(),
    )


@router.post("/intel/facts/{fact_id}/links")
def fact_link_submit(
    fact_id: int,
    session: DbSession,
    actor: CurrentActor,
    uscc: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    data = validate(ManualLink, {"uscc": uscc, "reason": reason}, code="intel.invalid")
    fact = intel_service.get_fact(session, actor=actor, fact_id=fact_id)
    links.link_manually(session, actor=actor, fact=fact, uscc=data.uscc, reason=data.reason)
    return RedirectResponse(f"/intel/facts/{fact_id}", status_code=303)


@router.get("/intel/links")
def links_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: Annotated[LinkFilter, Query()],
    page: int = 1,
) -> Response:
    result = links.list_links(session, actor=actor, filters=filters, page=page, page_size=20)
    return render(
        request, "intel/links.html", actor, page=result, f=filters, listing=ListQuery.of(request), **vocab()
    )


@router.post("/intel/links/{link_id}/{decision}")
def link_decide(
    link_id: int,
    decision: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    reason: Annotated[str, Form()] = "",
) -> Response:
    data = validate(LinkDecision, {"reason": reason}, code="intel.invalid")
    if decision == "confirm":
        link = links.confirm(session, actor=actor, link_id=link_id, reason=data.reason)
    elif decision == "reject":
        link = links.reject(session, actor=actor, link_id=link_id, reason=data.reason)
    else:
        raise LongchengError("页面或接口不存在。", code="not_found", status=404)
    if request.headers.get("hx-request"):
        return render(request, "intel/_link_row.html", actor, link=link, decided=True, **vocab())
    back = request.headers.get("referer") or "/intel/links"
    return RedirectResponse(
        back if back.startswith(str(request.base_url)) else "/intel/links", status_code=303
    )


@router.get("/intel/search")
def search_page(
    request: Request, session: DbSession, actor: CurrentActor, form: Annotated[SearchForm, Query()]
) -> Response:
    asked = bool(form.q or request.query_params)
    result = (
        search(session, actor=actor, data_dir=state_of(request).settings.data_dir, form=form)
        if asked
        else None
    )
    listing = ListQuery.of(request)
    return render(request, "intel/search.html", actor, result=result, f=form, listing=listing, **vocab())


@router.get("/intel/upload")
def upload_page(
    request: Request, session: DbSession, actor: CurrentActor, job: int | None = None
) -> Response:
    """The upload form; with ``job`` (several files sent together) the ingest job's progress."""
    require(actor, perm.INGEST)
    shown = job_service.get(session, job, actor=actor) if job is not None else None
    return render(request, "intel/upload.html", actor, outcome=None, error=None, job=shown)


@router.post("/intel/upload")
def upload_submit(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    background: BackgroundTasks,
    file: Annotated[list[UploadFile], File()],
) -> Response:
    """One file is ingested at once; several are kept and ingested by the worker (``intel.ingest``)."""
    try:
        if len(file) > 1:
            return _start_ingest(request, session, actor, file)
        outcome = upload_outcome(request, session, actor, file[0])
    except LongchengError as exc:
        if exc.status_code in (401, 403):
            raise
        return render(request, "intel/upload.html", actor, status=exc.status_code, outcome=None, error=exc)
    background.add_task(index_items_quietly, state_of(request).settings.data_dir, outcome.index_docs)
    return render(
        request,
        "intel/upload.html",
        actor,
        status=201 if outcome.status == "stored" else 200,
        outcome=outcome,
        error=None,
    )


def _start_ingest(request: Request, session: DbSession, actor: Actor, uploads: list[UploadFile]) -> Response:
    require(actor, perm.INGEST)
    settings = state_of(request).settings
    files = [
        imports.keep_upload(
            u.file, filename=u.filename or "", data_dir=settings.data_dir, max_bytes=settings.max_upload_bytes
        )
        for u in uploads
    ]
    params = {"files": files, "data_dir": str(settings.data_dir), "max_bytes": settings.max_upload_bytes}
    job = job_service.submit(session, actor=actor, kind=intel_tasks.INGEST, params=params)
    return started(request, job, to=f"/intel/upload?job={job.id}")
