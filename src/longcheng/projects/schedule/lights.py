"""Status lights (绿灯/黄灯/红灯) per plan node and per project, from thresholds kept as data.

Rules (numbers from ``data/light_thresholds.yaml``, :class:`LightThresholds`; working days on
the official calendar, counted as in :mod:`longcheng.core.workdays`):

* An open node is **red** once ``today`` is past its planned date plus
  ``red_after_overdue_working_days`` working days (0: red as soon as it is overdue), **yellow**
  when it is overdue within that grace or due within ``yellow_within_working_days`` working
  days (due today counts), else green. A finished node is green and no longer counts.
* A supervision order (督办单) not answered by its reply deadline is red; one due within
  ``supervision.yellow_within_working_days`` is yellow; one answered late keeps the project red
  for ``late_reply_red_working_days`` working days after the reply.
* A project is the worst of its open nodes, its orders and, when given, its 序时进度 light
  (:func:`.progress.schedule_progress`); its reasons are the red reasons when red, else the
  yellow ones.

:func:`project_light` answers for one project with reasons; :func:`lights_batch` answers for
many at once with numpy (10,000 projects × 30 nodes in milliseconds) and gives codes only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import yaml

from longcheng.core.errors import LongchengError
from longcheng.core.workdays import WorkdayCalendar
from longcheng.projects.schedule.progress import ScheduleProgress


class Light(StrEnum):
    """A status light; ``severity`` orders them (green 0 < yellow 1 < red 2)."""

    green = "green"
    yellow = "yellow"
    red = "red"

    @property
    def label(self) -> str:
        return {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[self.value]

    @property
    def severity(self) -> int:
        return LIGHTS_BY_SEVERITY.index(self)


LIGHTS_BY_SEVERITY: tuple[Light, ...] = (Light.green, Light.yellow, Light.red)


class ThresholdError(LongchengError):
    code: ClassVar[str] = "projects.light_thresholds_invalid"
    status: ClassVar[int] = 500
    message: ClassVar[str] = "预警阈值数据有误。"


@dataclass(frozen=True)
class LightThresholds:
    """The numbers behind the lights; the YAML file (and later a DB row) holds the same fields."""

    node_yellow_within_working_days: int = 5
    node_red_after_overdue_working_days: int = 0
    order_yellow_within_working_days: int = 2
    order_late_reply_red_working_days: int = 22
    schedule_yellow_below_pct: Decimal = Decimal(90)
    schedule_red_below_pct: Decimal = Decimal(70)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> LightThresholds:
        """Read the nested YAML layout (``node:``, ``supervision:``, ``schedule:``)."""
        try:
            node, order, schedule = data["node"], data["supervision"], data["schedule"]
            values = cls(
                _count(node["yellow_within_working_days"]),
                _count(node["red_after_overdue_working_days"]),
                _count(order["yellow_within_working_days"]),
                _count(order["late_reply_red_working_days"]),
                Decimal(str(schedule["yellow_below_pct"])),
                Decimal(str(schedule["red_below_pct"])),
            )
        except (KeyError, TypeError, ArithmeticError, ValueError) as exc:
            raise ThresholdError(f"预警阈值数据缺项或格式有误：{exc}") from exc
        if values.schedule_red_below_pct > values.schedule_yellow_below_pct:
            raise ThresholdError("序时进度红灯阈值不能高于黄灯阈值。")
        return values


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} 不是非负整数")
    return value


def load_thresholds(path: Path | str | None = None) -> LightThresholds:
    """Thresholds from ``path``, or the packaged ``data/light_thresholds.yaml`` when None."""
    if path is None:
        return _packaged_thresholds()
    with open(path, encoding="utf-8") as handle:
        return LightThresholds.from_mapping(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def _packaged_thresholds() -> LightThresholds:
    text = (
        resources.files("longcheng.projects.data")
        .joinpath("light_thresholds.yaml")
        .read_text(encoding="utf-8")
    )
    return LightThresholds.from_mapping(yaml.safe_load(text))


@dataclass(frozen=True)
class NodeStatus:
    """A plan node as the lights see it: planned date and the date it was done (None: open)."""

    code: str
    name: str
    planned: date
    done: date | None = None


@dataclass(frozen=True)
class SupervisionOrder:
    """A 督办单: what it demands, its reply deadline and when the reply came (None: not yet)."""

    number: str
    reply_due: date
    replied: date | None = None
    subject: str = ""


@dataclass(frozen=True)
class Signal:
    """One light with the Chinese reason behind it (None for plain green)."""

    light: Light
    reason: str | None = None


@dataclass(frozen=True)
class ProjectLight:
    """A project's light and the reasons an officer reads in the bulletin."""

    light: Light
    reasons: tuple[str, ...]
    nodes: tuple[tuple[str, Signal], ...]


def overdue_text(due: date, today: date, working_days: int) -> str:
    """How late ``today`` is past ``due``: in working days, or, when only a weekend or holiday
    has passed, in calendar days — never "已逾期0个工作日" nor a bare "已逾期"."""
    if working_days > 0:
        return f"已逾期{working_days}个工作日"
    return f"已逾期{(today - due).days}天（节假日）"


def node_light(
    node: NodeStatus, today: date, thresholds: LightThresholds, calendar: WorkdayCalendar
) -> Signal:
    """The light of one plan node on ``today``."""
    if node.done is not None:
        return Signal(Light.green)
    due = f"“{node.name}”计划于{node.planned.isoformat()}完成"
    if today > node.planned:
        overdue = calendar.working_days_between(node.planned, today)
        late = f"{due}，{overdue_text(node.planned, today, overdue)}"
        red_cut = calendar.add_working_days(node.planned, thresholds.node_red_after_overdue_working_days)
        return Signal(Light.red, late) if today > red_cut else Signal(Light.yellow, late)
    left = calendar.working_days_between(today, node.planned)
    if left <= thresholds.node_yellow_within_working_days:
        return Signal(Light.yellow, f"{due}，剩余{left}个工作日" if left else f"{due}，今日到期")
    return Signal(Light.green)


def order_light(
    order: SupervisionOrder, today: date, thresholds: LightThresholds, calendar: WorkdayCalendar
) -> Signal:
    """The light a supervision order gives its project on ``today``."""
    name = f"督办单{order.number}" + (f"（{order.subject}）" if order.subject else "")
    due = order.reply_due.isoformat()
    if order.replied is not None:
        if order.replied <= order.reply_due:
            return Signal(Light.green)
        since = calendar.working_days_between(order.replied, today)
        if since <= thresholds.order_late_reply_red_working_days:
            return Signal(Light.red, f"{name}要求{due}前答复，实际于{order.replied.isoformat()}逾期答复")
        return Signal(Light.green)
    if today > order.reply_due:
        overdue = calendar.working_days_between(order.reply_due, today)
        return Signal(
            Light.red, f"{name}要求{due}前答复，{overdue_text(order.reply_due, today, overdue)}未答复"
        )
    if calendar.working_days_between(today, order.reply_due) <= thresholds.order_yellow_within_working_days:
        return Signal(Light.yellow, f"{name}须于{due}前答复")
    return Signal(Light.green)


def schedule_signal(progress: ScheduleProgress, thresholds: LightThresholds) -> Signal:
    """The 序时进度 light: completed investment as a share of what the plan wanted by now."""
    pct = progress.schedule_pct
    if pct is None or pct >= thresholds.schedule_yellow_below_pct:
        return Signal(Light.green)
    limit = thresholds.schedule_red_below_pct if pct < thresholds.schedule_red_below_pct else None
    light = Light.red if limit is not None else Light.yellow
    bound = limit if limit is not None else thresholds.schedule_yellow_below_pct
    return Signal(light, f"截至{progress.as_of.label}投资完成序时计划的{pct}%（低于{bound}%）")


def project_light(
    nodes: Sequence[NodeStatus],
    orders: Sequence[SupervisionOrder],
    today: date,
    thresholds: LightThresholds,
    calendar: WorkdayCalendar,
    *,
    extra: Sequence[Signal] = (),
) -> ProjectLight:
    """The worst light of a project's open nodes, orders and ``extra`` signals (e.g. 序时进度)."""
    by_node = tuple((n.code, node_light(n, today, thresholds, calendar)) for n in nodes)
    signals = (
        [s for _, s in by_node] + [order_light(o, today, thresholds, calendar) for o in orders] + list(extra)
    )
    worst = max((s.light for s in signals), key=lambda light: light.severity, default=Light.green)
    reasons = tuple(s.reason for s in signals if s.light is worst and s.reason)
    return ProjectLight(worst, reasons if worst is not Light.green else (), by_node)


# -- many projects at once ----------------------------------------------------------------

DayArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
SeverityArray = npt.NDArray[np.int8]


@dataclass(frozen=True)
class NodeArrays:
    """Plan nodes as columns: owning project index, planned date, done flag."""

    project: IntArray
    planned: DayArray
    done: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class OrderArrays:
    """Supervision orders as columns; ``replied`` is NaT while unanswered."""

    project: IntArray
    reply_due: DayArray
    replied: DayArray


@dataclass(frozen=True)
class BatchLights:
    """Severities (0 green, 1 yellow, 2 red) per node and per project; see :data:`LIGHTS_BY_SEVERITY`."""

    node: SeverityArray
    project: SeverityArray

    def project_lights(self) -> list[Light]:
        return [LIGHTS_BY_SEVERITY[s] for s in self.project.tolist()]


def node_severities(
    nodes: NodeArrays, today: date, thresholds: LightThresholds, calendar: WorkdayCalendar
) -> SeverityArray:
    """Vectorised :func:`node_light` without the reasons."""
    today64 = np.datetime64(today, "D")
    red_cut = calendar.add_working_days_array(nodes.planned, thresholds.node_red_after_overdue_working_days)
    today_col = np.full(nodes.planned.shape, today64)
    left = calendar.working_days_between_array(today_col, nodes.planned)
    overdue = today64 > nodes.planned
    severity = np.where(overdue | (left <= thresholds.node_yellow_within_working_days), 1, 0)
    severity = np.where(today64 > red_cut, 2, severity)
    return np.where(nodes.done, 0, severity).astype(np.int8)


def order_severities(
    orders: OrderArrays, today: date, thresholds: LightThresholds, calendar: WorkdayCalendar
) -> SeverityArray:
    """Vectorised :func:`order_light` without the reasons."""
    today64 = np.datetime64(today, "D")
    open_ = np.isnat(orders.replied)
    replied = np.where(open_, today64, orders.replied)
    today_col = np.full(orders.reply_due.shape, today64)
    since_reply = calendar.working_days_between_array(replied, today_col)
    left = calendar.working_days_between_array(today_col, orders.reply_due)
    late_reply = (
        ~open_ & (replied > orders.reply_due) & (since_reply <= thresholds.order_late_reply_red_working_days)
    )
    red = (open_ & (today64 > orders.reply_due)) | late_reply
    yellow = open_ & (today64 <= orders.reply_due) & (left <= thresholds.order_yellow_within_working_days)
    return np.where(red, 2, np.where(yellow, 1, 0)).astype(np.int8)


def lights_batch(
    nodes: NodeArrays,
    n_projects: int,
    today: date,
    thresholds: LightThresholds,
    calendar: WorkdayCalendar,
    *,
    orders: OrderArrays | None = None,
    extra: SeverityArray | None = None,
) -> BatchLights:
    """Lights of ``n_projects`` projects at once; ``extra`` is one more severity per project."""
    node = node_severities(nodes, today, thresholds, calendar)
    project = np.zeros(n_projects, dtype=np.int8)
    np.maximum.at(project, nodes.project, node)
    if orders is not None and orders.project.size:
        np.maximum.at(project, orders.project, order_severities(orders, today, thresholds, calendar))
    if extra is not None:
        project = np.maximum(project, extra.astype(np.int8))
    return BatchLights(node, project)
