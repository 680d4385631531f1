"""The intel dashboard: announced investment (报道投资额) by month, district and stage event.

Counted: investment facts in yuan (CNY) — 总投资, 协议投资, 计划投资, 完成投资 … A project reported
in several articles with the same amount is counted once (same project name, or same linked
organisation, or same organisation text, and the same amount); a range counts at its low bound.
Totals of many projects (``Fact.aggregate``: 新签约项目34个，协议总投资…, 累计…) are left out: their
projects are counted one by one, or not at all, never twice. The month is the article's
publication month; articles dated only by year are "日期不详".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import ValidationFailed
from longcheng.intel import permissions as perm
from longcheng.intel.models import Article, Document, Fact, Link, LinkStatus
from longcheng.intel.schemas import EVENT_LABELS
from longcheng.registry import reference as ref

UNKNOWN_MONTH = "日期不详"


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    amount_fen: int
    count: int


@dataclass(frozen=True)
class Summary:
    documents: int
    articles: int
    facts: int
    pending_links: int
    investment_fen: int
    investment_facts: int
    counted_facts: int
    by_month: list[Bucket]
    by_district: list[Bucket]
    by_event: list[Bucket]
    years: list[str]


def _dedupe_key(
    row: tuple[int, str | None, str | None, str | None, int, str | None, str | None, str | None],
) -> object:
    fact_id, _month, _district, _event, amount, project, uscc, org = row
    subject = project or uscc or org
    return (subject, amount) if subject else fact_id


def _buckets(totals: dict[str, list[int]], labels: dict[str, str]) -> list[Bucket]:
    return [Bucket(k, labels.get(k, k), v[0], v[1]) for k, v in totals.items()]


def _months(rows: Iterable[tuple[str | None, int]]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, amount in rows:
        cell = totals[key or UNKNOWN_MONTH]
        cell[0] += amount
        cell[1] += 1
    known = sorted(k for k in totals if k != UNKNOWN_MONTH)
    out: dict[str, list[int]] = {}
    if known:
        year, month = int(known[0][:4]), int(known[0][5:])
        while f"{year:04d}-{month:02d}" <= known[-1]:
            key = f"{year:04d}-{month:02d}"
            out[key] = totals.get(key, [0, 0])
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if UNKNOWN_MONTH in totals:
        out[UNKNOWN_MONTH] = totals[UNKNOWN_MONTH]
    return out


def _grouped(values: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, amount in values:
        totals[key][0] += amount
        totals[key][1] += 1
    return dict(sorted(totals.items(), key=lambda kv: -kv[1][0]))


def investment_summary(session: Session, *, actor: Actor, year: str | None = None) -> Summary:
    """Totals and the three breakdowns; ``year`` ("2024") keeps one publication year."""
    require(actor, perm.INTEL_READ)
    if year and not (len(year) == 4 and year.isdigit()):
        raise ValidationFailed(
            "年份应为四位数字，例如 2024。", code="intel.invalid", details={"year": "应为四位数字"}
        )
    stmt = select(
        Fact.id, Fact.month, Fact.district, Fact.event, Fact.amount_fen, Fact.project, Fact.org_uscc, Fact.org
    ).where(Fact.kind == "investment", Fact.currency == "CNY", Fact.aggregate.is_(False))
    if year:
        stmt = stmt.where(Fact.month.like(f"{year}-%"))
    rows = list(session.execute(stmt))
    seen: set[object] = set()
    counted = []
    for row in rows:
        key = _dedupe_key(row)
        if key not in seen:
            seen.add(key)
            counted.append(row)
    places = {p.code: p.name for p in ref.places().values()}
    events = {**EVENT_LABELS, "none": "未注明"}
    return Summary(
        documents=session.scalar(select(func.count(Document.id))) or 0,
        articles=session.scalar(select(func.count(Article.id))) or 0,
        facts=session.scalar(select(func.count(Fact.id))) or 0,
        pending_links=_pending_links(session),
        investment_fen=sum(r[4] for r in counted),
        investment_facts=len(rows),
        counted_facts=len(counted),
        by_month=_buckets(_months((r[1], r[4]) for r in counted), {}),
        by_district=_buckets(
            _grouped((r[2] or "unknown", r[4]) for r in counted), {**places, "unknown": "未识别"}
        ),
        by_event=_buckets(_grouped((r[3] or "none", r[4]) for r in counted), events),
        years=_years(session),
    )


def _pending_links(session: Session) -> int:
    stmt = select(func.count(Link.id)).where(
        Link.status == LinkStatus.proposed.value, Link.target_type == "org"
    )
    return session.scalar(stmt) or 0


def _years(session: Session) -> list[str]:
    stmt = select(func.substr(Fact.month, 1, 4)).where(Fact.month.is_not(None)).distinct()
    return sorted((y for y in session.scalars(stmt) if y), reverse=True)
