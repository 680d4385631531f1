"""JSON API of process monitoring under /api/v1/exchange/monitoring."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import CleanText, validate
from longcheng.exchange.monitoring import report, risk, service
from longcheng.exchange.monitoring.models import RiskSignal

router = APIRouter(prefix="/api/v1/exchange/monitoring", tags=["exchange monitoring 统一过程监测"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "分组",
    "名称",
    "结束项目数",
    "成交数",
    "成交额（万元）",
    "溢价率（%）",
    "流拍率（%）",
    "平均成交周期（天）",
]


class DashboardRow(BaseModel):
    key: str
    label: str
    closed: int
    sold: int
    volume_fen: int
    premium_pct: float
    unsold_pct: float
    days_to_close: float


class SignalRead(BaseModel):
    id: int
    kind: str
    kind_label: str
    listing_code: str
    summary: str
    evidence: list[str]
    status: str
    review_note: str


class ScanRead(BaseModel):
    new_signals: dict[str, int]


class TradeReport(BaseModel):
    """Schema ``exchange-trade/1`` (docs/exchange-supervisor-report.md)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    trade_code: str
    institution: dict[str, str]
    listing: dict[str, Any]
    qualified_bidders: int
    outcome: dict[str, Any]
    risk_signals: list[dict[str, str]]


class ReviewIn(BaseModel):
    confirm: bool
    note: CleanText = ""


def _row(r: service.Row) -> dict[str, Any]:
    return {k: getattr(r, k) for k in DashboardRow.model_fields}


def signal_json(s: RiskSignal) -> dict[str, Any]:
    return {
        **{k: getattr(s, k) for k in SignalRead.model_fields if k != "kind_label"},
        "kind_label": risk.KINDS[s.kind],
    }


@router.get("/dashboard", response_model=list[DashboardRow])
def dashboard(session: DbSession, actor: CurrentActor, group: str = "institution") -> list[dict[str, Any]]:
    """Volume, count, 溢价率, 流拍 rate and days to close by institution, class or month."""
    return [_row(r) for r in service.dashboard(session, actor=actor, group=group)]


@router.get("/dashboard.xlsx", response_class=Response)
def dashboard_xlsx(session: DbSession, actor: CurrentActor, group: str = "institution") -> Response:
    rows = service.dashboard(session, actor=actor, group=group)
    body = write_xlsx(
        "联盟监测",
        HEADERS,
        (
            [
                r.key,
                r.label,
                r.closed,
                r.sold,
                round(r.volume_fen / 1_000_000, 2),
                r.premium_pct,
                r.unsold_pct,
                r.days_to_close,
            ]
            for r in rows
        ),
    )
    return Response(
        body,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="monitoring-{group}.xlsx"'},
    )


@router.post("/risk/scan", response_model=ScanRead)
def scan(session: DbSession, actor: CurrentActor) -> dict[str, dict[str, int]]:
    """Run the risk scan; returns the new signals by kind."""
    return {"new_signals": risk.scan(session, actor=actor)}


@router.get("/risk", response_model=list[SignalRead])
def signals(session: DbSession, actor: CurrentActor, status: str = "open") -> list[dict[str, Any]]:
    return [signal_json(s) for s in risk.queue(session, actor=actor, status=status)]


@router.post("/risk/{signal_id}/review", response_model=SignalRead)
def review(signal_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ReviewIn, body, code="exchange.monitoring.invalid")
    return signal_json(
        risk.review(session, actor=actor, signal_id=signal_id, confirm=data.confirm, note=data.note)
    )


@router.get("/trades/{code}/report", response_model=TradeReport)
def trade_report(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """One trade for the supervisor, schema ``exchange-trade/1`` with its 统一交易标识码."""
    return report.trade_report(session, actor=actor, listing_code=code)
