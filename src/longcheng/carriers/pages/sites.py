"""Officers' pages of carriers: the list of every carrier (search, filters, paging, XLSX), the
create and edit form (the same checks as the API), a new available area, and photos."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse
from starlette.responses import Response

from longcheng.carriers import permissions as perm
from longcheng.carriers import service
from longcheng.carriers.api import carrier_json
from longcheng.carriers.models import KIND_LABELS, LAND_USES, STATUSES, Carrier
from longcheng.carriers.schemas import AvailabilityIn, CarrierFilter, CarrierIn
from longcheng.carriers.service import photos
from longcheng.core.auth import require
from longcheng.core.errors import LongchengError
from longcheng.core.exporting import write_xlsx
from longcheng.core.forms import form_values, refusal
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.registry import reference

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[CarrierFilter, Depends()]
INVALID = "carriers.invalid"
FIELDS = (
    "name", "kind", "district", "park", "operator", "address", "industries", "total_area_m2",
    "available_area_m2", "land_mu", "land_use", "plot_ratio", "rent_yuan", "price_wan", "power_kva",
    "floor_load_kn_m2", "clear_height_m", "status", "description", "lat", "lon",
)  # fmt: skip
HEADERS = (
    "编号", "名称", "类型", "所在区", "所在园区", "运营方", "主导产业", "总面积（平方米）",
    "可用面积（平方米）", "面积（亩）", "用地性质", "容积率", "租金（元/平方米·月）", "挂牌价（万元）",
    "电力容量（千伏安）", "状态",
)  # fmt: skip


def choices() -> dict[str, Any]:
    return {
        "kinds": list(KIND_LABELS.items()),
        "districts": [(d.code, d.name) for d in reference.districts()],
        "parks": [(z.code, z.name) for z in reference.zones()],
        "land_uses": list(LAND_USES.items()),
        "statuses": list(STATUSES.items()),
    }


def _filters(f: CarrierFilter) -> service.Filters:
    place = reference.find_place(f.district) if f.district else None
    return service.Filters(
        q=(f.q or "").strip()[:100],
        kind=f.kind or "",
        district=place.code if place else (f.district or ""),
        status=f.status or "",
        available_only=False,
    )


def _text(value: Decimal | int | None, scale: int = 1) -> str:
    if value is None:
        return ""
    return f"{(Decimal(value) / scale).normalize():f}"


def _values_of(c: Carrier) -> dict[str, Any]:
    plain = {k: getattr(c, k) for k in ("name", "kind", "district", "park", "operator", "address")}
    return plain | {
        "industries": c.industries,
        "total_area_m2": c.total_area_m2,
        "available_area_m2": c.available_area_m2,
        "land_mu": _text(c.land_mu),
        "land_use": c.land_use or "",
        "plot_ratio": _text(c.plot_ratio),
        "rent_yuan": _text(c.rent_fen_per_m2_month, 100),
        "price_wan": _text(c.price_fen, 1_000_000),
        "power_kva": c.power_kva or "",
        "floor_load_kn_m2": _text(c.floor_load_kn_m2),
        "clear_height_m": _text(c.clear_height_m),
        "status": c.status,
        "description": c.description,
        "lat": _text(c.lat),
        "lon": _text(c.lon),
    }


@router.get("/carriers/manage")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = service.list_carriers(
        session, actor=actor, filters=_filters(filters), page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "carriers/manage.html",
        "carriers/_manage_table.html",
        result,
        filters,
        rows=[carrier_json(c) for c in result.items],
        **choices(),
    )


@router.get("/carriers/manage/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            j["code"],
            j["name"],
            j["kind_label"],
            j["district_name"],
            j["park_name"],
            j["operator"],
            j["industries"],
            j["total_area_m2"],
            j["available_area_m2"],
            j["land_mu"],
            j["land_use"],
            j["plot_ratio"],
            j["rent_yuan_per_m2_month"],
            j["price_wan"],
            j["power_kva"],
            j["status"],
        ]  # fmt: skip
        for j in map(
            carrier_json,
            service.iter_carriers(
                session, actor=actor, filters=_filters(filters), limit=export_limit(request)
            ),
        )
    )
    return xlsx_response(write_xlsx("载体", HEADERS, rows), "carriers.xlsx")


def _form(
    request: Request, actor: Any, carrier: Carrier | None, *, status: int = 200, **context: Any
) -> Response:
    context.setdefault("errors", {})
    context.setdefault("message", "")
    return render(
        request, "carriers/form.html", actor, status=status, carrier=carrier, **choices(), **context
    )


@router.get("/carriers/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.CARRIER_EDIT)
    return _form(request, actor, None, values={"status": "available"})


@router.post("/carriers/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.CARRIER_EDIT)
    values = form_values(await request.form(), FIELDS)
    try:
        carrier = service.create(session, actor=actor, data=validate(CarrierIn, values, code=INVALID))
    except LongchengError as exc:
        return _form(request, actor, None, values=values, **refusal(session, exc))
    return RedirectResponse(f"/carriers/{carrier.code}/edit?saved=1", status_code=303)


def _edit(request: Request, session: DbSession, actor: Any, code: str, **context: Any) -> Response:
    carrier = service.get(session, code=code)
    context.setdefault("values", _values_of(carrier))
    return _form(
        request,
        actor,
        carrier,
        vacancy=service.vacancy(session, carrier=carrier),
        photos=photos.photos_of(session, carrier_id=carrier.id),
        saved=request.query_params.get("saved", ""),
        **context,
    )


@router.get("/carriers/{code}/edit")
def edit_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.CARRIER_EDIT)
    return _edit(request, session, actor, code)


@router.post("/carriers/{code}/edit")
async def edit_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.CARRIER_EDIT)
    values = form_values(await request.form(), FIELDS)
    try:
        service.update(session, actor=actor, code=code, data=validate(CarrierIn, values, code=INVALID))
    except LongchengError as exc:
        return _edit(request, session, actor, code, values=values, **refusal(session, exc))
    return RedirectResponse(f"/carriers/{code}/edit?saved=1", status_code=303)


@router.post("/carriers/{code}/availability")
def availability_submit(
    code: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    available_area_m2: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = validate(AvailabilityIn, {"available_area_m2": available_area_m2, "note": note}, code=INVALID)
        service.set_available(session, actor=actor, code=code, area=data.available_area_m2, note=data.note)
    except LongchengError as exc:
        session.rollback()
        return _edit(request, session, actor, code, status=exc.status_code, vacancy_message=exc.message_text)
    return RedirectResponse(f"/carriers/{code}/edit?saved=vacancy#vacancy", status_code=303)


@router.post("/carriers/{code}/photos")
def photo_submit(
    code: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    photo: Annotated[UploadFile, File()],
    caption: Annotated[str, Form()] = "",
) -> Response:
    settings = state_of(request).settings
    try:
        photos.add_photo(
            session,
            actor=actor,
            code=code,
            name=photo.filename or "照片",
            data=photo.file,
            root=settings.data_dir,
            caption=caption,
            max_bytes=min(settings.max_upload_bytes, photos.MAX_PHOTO_BYTES),
        )
    except LongchengError as exc:
        session.rollback()
        return _edit(request, session, actor, code, status=exc.status_code, photo_message=exc.message_text)
    return RedirectResponse(f"/carriers/{code}/edit?saved=photo#photos", status_code=303)


@router.post("/carriers/photos/{photo_id}/delete")
def photo_delete(photo_id: int, session: DbSession, actor: CurrentActor) -> Response:
    code = photos.remove_photo(session, actor=actor, photo_id=photo_id)
    return RedirectResponse(f"/carriers/{code}/edit?saved=photo#photos", status_code=303)


@router.get("/carriers/photos/{photo_id}")
def photo_file(photo_id: int, request: Request, session: DbSession) -> Response:
    photo, path = photos.photo_file(session, photo_id=photo_id, root=state_of(request).settings.data_dir)
    return FileResponse(path, media_type=photo.media_type, headers={"Cache-Control": "public, max-age=86400"})
