"""The monthly supervision bulletin (督查专报): its data, its figures and its summary text.

The service gathers one :class:`ReportProject` per project (plain data, amounts in fen) into a
:class:`MonthlyReport`; :func:`summarize` computes the figures, :func:`summary_text` writes the
opening paragraph from them ("本月新签约项目N个，协议总投资X亿元；新开工项目12个，计划总投资
86.3亿元…"), and :mod:`.xlsx` / :mod:`.pdf` write the files. Nothing here reads a
database or the clock.

A project counts as "new" in a stage when its date for that stage falls in the report month,
and "this year" when it falls in January..month of the report year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from longcheng.projects.schedule.lights import Light
from longcheng.projects.schedule.progress import Month, amount_text
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage

DEFAULT_LIST_ORDER: tuple[str, ...] = ("省重大", "市重大", "区重大", "532", "1231")
"""Official lists first in this order; other lists (ceremony batches …) follow by name."""


@dataclass(frozen=True)
class ReportProject:
    """One row of the bulletin: a project as it stands at the end of the report month."""

    code: str
    name: str
    district: str
    park: str
    industry: str
    lists: tuple[str, ...]
    stage: Stage
    stage_dates: Mapping[Stage, date]
    agreed_investment_fen: int
    total_investment_fen: int
    annual_plan_fen: int = 0
    completed_year_fen: int = 0
    light: Light = Light.green
    red_reasons: tuple[str, ...] = ()
    leader: str = ""
    investor: str = ""

    def reached_in(self, stage: Stage, month: Month) -> bool:
        when = self.stage_dates.get(stage)
        return when is not None and month.contains(when)

    def reached_by(self, stage: Stage, month: Month) -> bool:
        """Reached ``stage`` in ``month``'s year up to the end of ``month``."""
        when = self.stage_dates.get(stage)
        return when is not None and when.year == month.year and when <= month.last_day


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the bulletin needs; ``top_n`` rows per PDF table (the XLSX has all rows)."""

    month: Month
    projects: Sequence[ReportProject]
    generated_on: date
    title: str = "重大项目督查专报"
    issuer: str = "市重大项目推进办公室"
    issue_label: str = ""
    list_order: tuple[str, ...] = DEFAULT_LIST_ORDER
    top_n: int = 30
    red_top_n: int = 60

    @property
    def issue(self) -> str:
        return self.issue_label or f"{self.month.year}年第{self.month.month}期"


@dataclass(frozen=True)
class StageTally:
    """How many projects reached a stage, and their investment (fen)."""

    count: int = 0
    investment_fen: int = 0


@dataclass(frozen=True)
class GroupRow:
    """Figures of one district or industry: this year's stage counts and the money."""

    name: str
    projects: int
    signed_year: int
    started_year: int
    completed_year: int
    total_investment_fen: int
    annual_plan_fen: int
    completed_year_fen: int
    red: int


@dataclass(frozen=True)
class ReportSummary:
    """The figures of the bulletin, all derived from the rows."""

    month: Month
    projects: int
    total_investment_fen: int
    signed: StageTally
    started: StageTally
    completed: StageTally
    producing: StageTally
    annual_plan_fen: int
    completed_year_fen: int
    lights: Mapping[Light, int]
    by_district: tuple[GroupRow, ...]
    by_industry: tuple[GroupRow, ...]
    by_stage: Mapping[Stage, int] = field(default_factory=dict)

    @property
    def completion_pct(self) -> Decimal | None:
        """Completed investment of the year as a share of the annual plan, one decimal."""
        if self.annual_plan_fen <= 0:
            return None
        return (Decimal(self.completed_year_fen) * 100 / self.annual_plan_fen).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def time_pct(self) -> Decimal:
        """序时进度 of the month (equal twelfths): 10月 → 83.3%."""
        return (Decimal(self.month.month) * 100 / 12).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _tally(
    projects: Iterable[ReportProject], stage: Stage, month: Month, amount: Callable[[ReportProject], int]
) -> StageTally:
    hits = [p for p in projects if p.reached_in(stage, month)]
    return StageTally(len(hits), sum(amount(p) for p in hits))


def _groups(
    projects: Sequence[ReportProject], key: Callable[[ReportProject], str], month: Month
) -> tuple[GroupRow, ...]:
    buckets: dict[str, list[ReportProject]] = {}
    for project in projects:
        buckets.setdefault(key(project) or "未填写", []).append(project)
    rows = [
        GroupRow(
            name,
            len(items),
            sum(p.reached_by(Stage.signed, month) for p in items),
            sum(p.reached_by(Stage.started, month) for p in items),
            sum(p.reached_by(Stage.completed, month) for p in items),
            sum(p.total_investment_fen for p in items),
            sum(p.annual_plan_fen for p in items),
            sum(p.completed_year_fen for p in items),
            sum(p.light is Light.red for p in items),
        )
        for name, items in buckets.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.total_investment_fen, r.name)))


def summarize(report: MonthlyReport) -> ReportSummary:
    """Compute the bulletin's figures from its rows."""
    projects, month = report.projects, report.month
    lights = dict.fromkeys(Light, 0)
    by_stage = dict.fromkeys(STAGE_ORDER, 0)
    for project in projects:
        lights[project.light] += 1
        by_stage[project.stage] += 1

    def total(p: ReportProject) -> int:
        return p.total_investment_fen

    return ReportSummary(
        month=month,
        projects=len(projects),
        total_investment_fen=sum(p.total_investment_fen for p in projects),
        signed=_tally(projects, Stage.signed, month, lambda p: p.agreed_investment_fen),
        started=_tally(projects, Stage.started, month, total),
        completed=_tally(projects, Stage.completed, month, total),
        producing=_tally(projects, Stage.producing, month, total),
        annual_plan_fen=sum(p.annual_plan_fen for p in projects),
        completed_year_fen=sum(p.completed_year_fen for p in projects),
        lights=lights,
        by_district=_groups(projects, lambda p: p.district, month),
        by_industry=_groups(projects, lambda p: p.industry, month),
        by_stage=by_stage,
    )


def _stage_clause(tally: StageTally, verb: str, money: str) -> str:
    if tally.count == 0:
        return f"无{verb}项目"
    return f"{verb}项目{tally.count}个，{money}{amount_text(tally.investment_fen)}"


def summary_sentences(summary: ReportSummary) -> list[str]:
    """The opening paragraph as sentences, every number taken from ``summary``."""
    month = summary.month
    clauses = [
        _stage_clause(summary.signed, "新签约", "协议总投资"),
        _stage_clause(summary.started, "新开工", "计划总投资"),
        _stage_clause(summary.completed, "新竣工", "总投资"),
        _stage_clause(summary.producing, "新投产", "总投资"),
    ]
    sentences = [
        f"{month.label}，纳入督查的重大项目共{summary.projects}个，总投资{amount_text(summary.total_investment_fen)}。",
        "本月" + "；".join(clauses) + "。",
    ]
    pct = summary.completion_pct
    if pct is not None:
        gap = pct - summary.time_pct
        side = "超" if gap >= 0 else "低于"
        sentences.append(
            f"1—{month.month}月累计完成投资{amount_text(summary.completed_year_fen)}，"
            f"占年度计划{amount_text(summary.annual_plan_fen)}的{pct}%，{side}序时进度{abs(gap)}个百分点。"
        )
    lights = summary.lights
    sentences.append(
        f"截至月末，红灯项目{lights[Light.red]}个、黄灯项目{lights[Light.yellow]}个、绿灯项目{lights[Light.green]}个。"
    )
    return sentences


def summary_text(summary: ReportSummary) -> str:
    """The opening paragraph of the bulletin in one string."""
    return "".join(summary_sentences(summary))


def ordered_lists(report: MonthlyReport) -> list[str]:
    """The lists present in the rows: official lists in ``list_order`` first, then by name."""
    present = {name for project in report.projects for name in project.lists}
    known = [name for name in report.list_order if name in present]
    return known + sorted(present - set(known))


def by_investment(projects: Iterable[ReportProject]) -> list[ReportProject]:
    """Rows sorted the way tables show them: largest total investment first, then by code."""
    return sorted(projects, key=lambda p: (-p.total_investment_fen, p.code))


def wan(fen: int) -> float:
    """Fen as 万元 with two decimals, the unit of the bulletin's tables."""
    return float((Decimal(fen) / 1_000_000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def yi(fen: int) -> str:
    """Fen as 亿元 with two decimals, for narrow PDF columns."""
    return f"{(Decimal(fen) / 10**10).quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
