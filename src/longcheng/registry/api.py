"""JSON API of the registry under ``/api/v1/registry``; each route calls one service function."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, read_transaction, state_of, uploaded_file
from longcheng.core.listing import export_limit, query_model, xlsx_response
from longcheng.core.openapi import (
    XLSX,
    AuditEntryRead,
    ImportReportRead,
    Page,
    StatusRead,
    file_download,
    rows_refused,
)
from longcheng.core.validation import validate
from longcheng.registry import export, importer
from longcheng.registry import service as registry_service
from longcheng.registry.models import Organisation
from longcheng.registry.people.schemas import OrgPersonIn, OrgPersonView
from longcheng.registry.schemas import (
    FactCreate,
    OrgCreate,
    OrgFilter,
    OrgRead,
    OrgSummary,
    OrgUpdate,
    TagCreate,
)

router = APIRouter(prefix="/api/v1/registry", tags=["registry 一企一档"])


def org_json(org: Organisation, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uscc": org.uscc,
        "name": org.name,
        "former_names": org.former_name_list,
        "org_type": org.org_type,
        "district": org.district,
        "park": org.park,
        "industry": org.industry,
        "established": org.established.isoformat() if org.established else None,
        "version": org.version,
    }
    if full:
        data["address"] = org.address
        data["tags"] = [
            {
                "tag": t.tag,
                "level": t.level,
                "valid_from": t.valid_from.isoformat(),
                "valid_to": t.valid_to.isoformat() if t.valid_to else None,
            }
            for t in org.tags
        ]
        data["facts"] = [
            {"kind": f.kind, "year": f.year, "value": f.value, "currency": f.currency, "source": f.source}
            for f in org.facts
        ]
    return data


FilterDep = Annotated[OrgFilter, Depends(query_model(OrgFilter))]


class OrgImportRead(ImportReportRead):
    created: int


@router.get("/orgs", response_model=Page[OrgSummary])
def list_orgs(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = registry_service.list_orgs(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [org_json(o) for o in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.get("/orgs/{uscc}", response_model=OrgRead)
def get_org(uscc: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return org_json(registry_service.get_by_uscc(session, actor=actor, uscc=uscc), full=True)


@router.post("/orgs", status_code=201, response_model=OrgRead)
def create_org(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(OrgCreate, body, code="registry.invalid")
    return org_json(registry_service.create(session, actor=actor, data=data), full=True)


@router.put("/orgs/{uscc}", response_model=OrgRead)
def update_org(uscc: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    reason = str(body.pop("reason", ""))
    data = validate(OrgUpdate, body, code="registry.invalid")
    return org_json(
        registry_service.update(session, actor=actor, uscc=uscc, data=data, reason=reason), full=True
    )


@router.post("/orgs/{uscc}/tags", status_code=201, response_model=StatusRead)
def add_tag(uscc: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, str]:
    data = validate(TagCreate, body, code="registry.invalid")
    registry_service.add_tag(session, actor=actor, uscc=uscc, data=data)
    return {"status": "created"}


@router.post("/orgs/{uscc}/facts", status_code=201, response_model=StatusRead)
def add_fact(uscc: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, str]:
    data = validate(FactCreate, body, code="registry.invalid")
    registry_service.add_fact(session, actor=actor, uscc=uscc, data=data)
    return {"status": "created"}


@router.get("/orgs/{uscc}/history", response_model=list[AuditEntryRead])
def org_history(uscc: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    return [
        {
            "seq": r.seq,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "action": r.action,
            "diff": r.diff_data,
            "reason": r.reason,
        }
        for r in registry_service.history(session, actor=actor, org=org)
    ]


class OrgPersonRead(BaseModel):
    role: str
    role_label: str
    name: str
    id_masked: str | None
    holder_uscc: str | None
    share_ratio: Decimal | None
    since: date | None


def _people_json(views: list[OrgPersonView]) -> list[dict[str, Any]]:
    return [
        {
            "role": v.role,
            "role_label": v.role_label,
            "name": v.name,
            "id_masked": v.id_masked,
            "holder_uscc": v.holder_uscc,
            "share_ratio": v.share_ratio,
            "since": v.since,
        }
        for v in views
    ]


@router.get("/orgs/{uscc}/people", response_model=list[OrgPersonRead])
def get_people(uscc: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    """主要人员与股东（身份证号仅显示掩码）。"""
    return _people_json(registry_service.people_of(session, actor=actor, uscc=uscc))


@router.put("/orgs/{uscc}/people", response_model=list[OrgPersonRead])
def put_people(
    uscc: str, body: list[dict[str, Any]], session: DbSession, actor: CurrentActor
) -> list[dict[str, Any]]:
    """整体替换主要人员与股东：任何一项有误时不写入。"""
    people = [validate(OrgPersonIn, item, code="registry.people_invalid") for item in body[:500]]
    if len(body) > 500:
        raise ValidationFailed("一次最多提交 500 名人员。", code="registry.people_too_many")
    return _people_json(registry_service.set_people(session, actor=actor, uscc=uscc, people=people))


@router.get("/export.xlsx", response_class=Response, responses=file_download(XLSX))
def export_xlsx(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = registry_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(export.to_xlsx(rows), "registry.xlsx")


def import_upload(
    request: Request, session: Session, actor: Actor, upload: UploadFile
) -> importer.ImportReport:
    """Run an uploaded file through the all-or-nothing import (shared by the API and the page).

    The check runs in its own read transaction; ``session`` (the request's write transaction)
    is touched only to write, so SQLite's write lock is held for the inserts alone.
    """
    max_bytes = state_of(request).settings.max_upload_bytes
    with uploaded_file(request, upload) as path, tempfile.TemporaryFile() as spool:
        with read_transaction(request) as reader:
            report = importer.check_file(reader, actor=actor, path=path, max_bytes=max_bytes, spool=spool)
        if report.ok:
            report.created = importer.write_checked(session, actor=actor, spool=spool)
    return report


def report_json(report: importer.ImportReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "rows": report.rows,
        "created": report.created,
        "error_count": report.error_count,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
    }


@router.post("/import", response_model=OrgImportRead)
def import_orgs(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
) -> Response:
    report = import_upload(request, session, actor, file)
    status = 200 if report.ok else 422
    body = (
        report_json(report) if report.ok else rows_refused(report_json(report), code="registry.import_rows")
    )
    return JSONResponse(body, status_code=status)
