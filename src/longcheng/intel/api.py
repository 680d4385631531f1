"""JSON API of the intel module under ``/api/v1/intel``; each route calls one service function.

Amounts are integer fen (``*_fen``) plus decimal strings of yuan (``value``, or ``low``/``high``
for a range); amount filters are in 万元 (``min_wan``/``max_wan``). Upload errors carry the
ingest codes (``intel.empty_file``, ``intel.binary_file``, ``intel.pdf_no_text``,
``intel.file_too_large`` (413), ``intel.unsupported_file`` …) and store nothing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from longcheng.core import hooks
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.listing import export_limit, xlsx_response
from longcheng.core.openapi import TEXT, XLSX, Page, file_download
from longcheng.core.validation import validate
from longcheng.intel import export, ingest
from longcheng.intel import service as intel_service
from longcheng.intel.models import Article, Document, Fact, Link
from longcheng.intel.schemas import (
    DashboardRead,
    DocumentDetail,
    DocumentFilter,
    DocumentRead,
    FactDetail,
    FactFilter,
    FactListItem,
    LinkDecision,
    LinkFilter,
    LinkListItem,
    LinkRead,
    ManualLink,
    OutcomeRead,
    SearchForm,
    SearchPageRead,
)
from longcheng.intel.service import dashboard, links
from longcheng.intel.service.ingest import FileOutcome, ingest_upload, too_large
from longcheng.intel.service.search import ResultItem, index_items_quietly, search

router = APIRouter(prefix="/api/v1/intel", tags=["intel 招商情报"])
FactFilterDep = Annotated[FactFilter, Query()]


def _yuan(fen: int) -> str:
    return str(Decimal(fen) / 100)


def fact_json(fact: Fact) -> dict[str, Any]:
    amount: dict[str, Any] = (
        {"low": _yuan(fact.low_fen), "high": _yuan(fact.high_fen)}
        if fact.value_fen is None
        else {"value": _yuan(fact.value_fen)}
    )
    return {
        "id": fact.id,
        "document_id": fact.document_id,
        "article_id": fact.article_id,
        "published": fact.published.isoformat() if fact.published else None,
        "kind": fact.kind,
        "event": fact.event,
        "planned": fact.planned,
        **amount,
        "value_fen": fact.value_fen,
        "low_fen": fact.low_fen,
        "high_fen": fact.high_fen,
        "currency": fact.currency,
        "qualifier": fact.qualifier,
        "text": fact.amount_text,
        "cue": fact.cue,
        "sentence": fact.sentence,
        "span": [fact.start, fact.end],
        "cue_span": [fact.cue_start, fact.cue_end],
        "sentence_span": [fact.sentence_start, fact.sentence_end],
        "file_span": [fact.file_start, fact.file_end],
        "project": fact.project,
        "org": fact.org,
        "orgs": fact.org_list,
        "org_uscc": fact.org_uscc,
        "place": fact.place,
        "place_name": fact.place_name,
        "district": fact.district,
        "date": fact.fact_date,
    }


def link_json(link: Link) -> dict[str, Any]:
    return {
        "id": link.id,
        "fact_id": link.fact_id,
        "target_type": link.target_type,
        "target": link.target,
        "target_name": link.target_name,
        "mention": link.mention,
        "method": link.method,
        "score": link.score,
        "status": link.status,
        "decided_by": link.decided_by,
        "decided_at": link.decided_at.isoformat() if link.decided_at else None,
        "reason": link.reason,
    }


def document_json(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "name": document.name,
        "sha256": document.sha256,
        "encoding": document.encoding,
        "kind": document.kind,
        "size": document.size,
        "articles": document.article_count,
        "facts": document.fact_count,
        "warnings": document.warning_list,
        "created_at": document.created_at.isoformat(),
        "created_by": document.created_by,
    }


def article_json(article: Article, facts: list[Fact]) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "published": article.published.isoformat() if article.published else None,
        "date_precision": article.date_precision,
        "source": article.source,
        "file_span": [article.file_start, article.file_end],
        "content_hash": article.content_hash,
        "facts": [fact_json(f) for f in facts if f.article_id == article.id],
    }


def outcome_json(outcome: FileOutcome) -> dict[str, Any]:
    return {
        "name": outcome.name,
        "status": outcome.status,
        "code": outcome.code or None,
        "message": outcome.message or None,
        "document_id": outcome.document_id,
        "articles": outcome.articles,
        "duplicate_articles": outcome.duplicate_articles,
        "facts": outcome.facts,
        "links_auto": outcome.links.auto,
        "links_proposed": outcome.links.proposed,
        "project_evidence": outcome.project_evidence,
        "project_leads": outcome.project_leads,
        "warnings": list(outcome.warnings),
    }


def read_upload(request: Request, upload: UploadFile) -> tuple[bytes, str]:
    """The uploaded bytes and file name; refuses an unsupported type or a file past the limit."""
    name = Path(upload.filename or "").name or "upload"
    if Path(name).suffix.lower() not in ingest.SUPPORTED_SUFFIXES:
        raise ingest.UnsupportedFile(f"不支持的文件类型“{name}”，仅支持 .txt、.htm、.html、.pdf。")
    limit = state_of(request).settings.max_upload_bytes
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, len(data), limit)
    return data, name


def upload_outcome(
    request: Request, session: DbSession, actor: CurrentActor, upload: UploadFile
) -> FileOutcome:
    """Ingest an upload; a skipped file is an error with the ingest code (nothing stored)."""
    data, name = read_upload(request, upload)
    settings = state_of(request).settings
    outcome = ingest_upload(
        session,
        actor=actor,
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
        data=data,
        name=name,
    )
    if outcome.status == "skipped":
        raise ingest.IngestError(outcome.message, code=outcome.code)
    if outcome.fact_ids:
        replies = hooks.publish(hooks.FACTS_STORED, session, actor=actor, fact_ids=outcome.fact_ids)
        outcome.project_evidence = hooks.count(replies, "project_evidence")
        outcome.project_leads = hooks.count(replies, "project_leads")
    return outcome


@router.post(
    "/documents", status_code=201, response_model=OutcomeRead, responses={200: {"model": OutcomeRead}}
)
def upload(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File()],
) -> JSONResponse:
    outcome = upload_outcome(request, session, actor, file)
    background.add_task(index_items_quietly, state_of(request).settings.data_dir, outcome.index_docs)
    return JSONResponse(outcome_json(outcome), status_code=201 if outcome.status == "stored" else 200)


@router.get("/documents", response_model=Page[DocumentRead])
def list_documents(
    session: DbSession,
    actor: CurrentActor,
    filters: Annotated[DocumentFilter, Query()],
    page: int = 1,
    page_size: int = 20,
) -> dict[str, Any]:
    result = intel_service.list_documents(
        session, actor=actor, filters=filters, page=page, page_size=page_size
    )
    return {
        "items": [document_json(d) for d in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.get("/documents/{document_id}", response_model=DocumentDetail, response_model_exclude_unset=True)
def get_document(document_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    document = intel_service.get_document(session, actor=actor, document_id=document_id)
    facts = intel_service.facts_of(session, actor=actor, document=document)
    articles = intel_service.articles_of(session, actor=actor, document=document)
    return document_json(document) | {"articles": [article_json(a, facts) for a in articles]}


@router.get("/documents/{document_id}/text", response_class=Response, responses=file_download(TEXT))
def document_text(document_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    document = intel_service.get_document(session, actor=actor, document_id=document_id)
    text = intel_service.decoded_text(document, actor=actor, data_dir=state_of(request).settings.data_dir)
    return Response(text, media_type="text/plain; charset=utf-8")


@router.get("/facts", response_model=Page[FactListItem], response_model_exclude_unset=True)
def list_facts(
    session: DbSession, actor: CurrentActor, filters: FactFilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = intel_service.list_facts(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [fact_json(f) | {"title": f.article.title} for f in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.get("/facts/export.xlsx", response_class=Response, responses=file_download(XLSX))
def export_facts(
    request: Request, session: DbSession, actor: CurrentActor, filters: FactFilterDep
) -> Response:
    rows = intel_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(export.to_xlsx(rows), "intel-facts.xlsx")


@router.get("/facts/{fact_id}", response_model=FactDetail, response_model_exclude_unset=True)
def get_fact(fact_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    fact = intel_service.get_fact(session, actor=actor, fact_id=fact_id)
    return fact_json(fact) | {"title": fact.article.title, "document": fact.document.name}


@router.post("/facts/{fact_id}/links", status_code=201, response_model=LinkRead)
def link_fact(fact_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ManualLink, body, code="intel.invalid")
    fact = intel_service.get_fact(session, actor=actor, fact_id=fact_id)
    return link_json(links.link_manually(session, actor=actor, fact=fact, uscc=data.uscc, reason=data.reason))


@router.get("/links", response_model=Page[LinkListItem], response_model_exclude_unset=True)
def list_links(
    session: DbSession,
    actor: CurrentActor,
    filters: Annotated[LinkFilter, Query()],
    page: int = 1,
    page_size: int = 20,
) -> dict[str, Any]:
    result = links.list_links(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [link_json(k) | {"fact": fact_json(k.fact)} for k in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.post("/links/{link_id}/confirm", response_model=LinkRead)
def confirm_link(
    link_id: int, session: DbSession, actor: CurrentActor, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    data = validate(LinkDecision, body or {}, code="intel.invalid")
    return link_json(links.confirm(session, actor=actor, link_id=link_id, reason=data.reason))


@router.post("/links/{link_id}/reject", response_model=LinkRead)
def reject_link(
    link_id: int, session: DbSession, actor: CurrentActor, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    data = validate(LinkDecision, body or {}, code="intel.invalid")
    return link_json(links.reject(session, actor=actor, link_id=link_id, reason=data.reason))


def hit_json(item: ResultItem) -> dict[str, Any]:
    hit = item.hit
    return {
        "id": hit.id,
        "kind": hit.kind,
        "score": hit.score,
        "title": hit.title,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
        "published": hit.published.isoformat() if hit.published else None,
        "place": hit.place,
        "fact_kind": hit.fact_kind,
        "amount_fen": hit.amount_fen,
        "document_id": item.document_id,
        "article_id": item.article_id,
        "fact_id": item.fact_id,
    }


@router.get("/search", response_model=SearchPageRead)
def search_api(
    request: Request, session: DbSession, actor: CurrentActor, form: Annotated[SearchForm, Query()]
) -> dict[str, Any]:
    result = search(session, actor=actor, data_dir=state_of(request).settings.data_dir, form=form)
    return {
        "items": [hit_json(i) for i in result.items],
        "total": result.total,
        "total_is_estimate": result.total_is_estimate,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.get("/dashboard", response_model=DashboardRead)
def dashboard_api(session: DbSession, actor: CurrentActor, year: str | None = None) -> dict[str, Any]:
    summary = dashboard.investment_summary(session, actor=actor, year=year or None)

    def buckets(items: list[dashboard.Bucket]) -> list[dict[str, Any]]:
        return [{"key": b.key, "label": b.label, "amount_fen": b.amount_fen, "facts": b.count} for b in items]

    return {
        "documents": summary.documents,
        "articles": summary.articles,
        "facts": summary.facts,
        "pending_links": summary.pending_links,
        "investment_fen": summary.investment_fen,
        "investment_facts": summary.investment_facts,
        "counted_facts": summary.counted_facts,
        "by_month": buckets(summary.by_month),
        "by_district": buckets(summary.by_district),
        "by_event": buckets(summary.by_event),
    }
