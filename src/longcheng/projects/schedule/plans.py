"""Time-sequence plans (时序计划表) dated on the working-day calendar, and 序时进度.

A plan comes from a template per project type (``data/plan_templates.yaml``): each node is an
offset from the plan's start date (usually the signing date) or from an earlier node, counted
in working days, calendar days or calendar months. A planned date that falls on a holiday or a
weekend moves to the next working day, and the node carries a Chinese note saying so
("原定2025-10-01为法定节假日（国庆节、中秋节），顺延至2025-10-09"). Dates that officers type in
are adjusted the same way by :func:`revise_plan`.

Plans often run past the last year whose holiday notice is published; build them with
``default_calendar(allow_uncovered=True)`` and the nodes in such years say that they were
counted on plain Monday–Friday weeks. With a strict calendar they raise
``calendar.year_not_covered``.

The monthly investment side (序时进度) lives in :mod:`longcheng.projects.schedule.progress`.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import yaml

from longcheng.core.errors import LongchengError
from longcheng.core.workdays import WorkdayCalendar
from longcheng.projects.schedule.stages import Stage


class PlanTemplateError(LongchengError):
    """The plan template data is malformed (unknown predecessor, duplicate code …)."""

    code: ClassVar[str] = "projects.plan_template_invalid"
    status: ClassVar[int] = 500
    message: ClassVar[str] = "时序计划表模板有误。"


class OffsetUnit(StrEnum):
    working_days = "working_days"
    days = "days"
    months = "months"


@dataclass(frozen=True)
class TemplateNode:
    """A node of a plan template: ``offset`` ``unit``s after ``after`` (None: the plan start)."""

    code: str
    name: str
    offset: int
    unit: OffsetUnit = OffsetUnit.working_days
    after: str | None = None
    stage: Stage | None = None


@dataclass(frozen=True)
class PlanTemplate:
    """The nodes of one project type (工业制造, 现代服务业, 基础设施 …), in plan order."""

    code: str
    label: str
    nodes: tuple[TemplateNode, ...]


@dataclass(frozen=True)
class DateAdjustment:
    """A planned date checked against the calendar: ``planned`` is ``original`` or later."""

    original: date
    planned: date
    note: str | None

    @property
    def moved(self) -> bool:
        return self.planned != self.original


@dataclass(frozen=True)
class PlannedNode:
    """A node of a project's plan with its (working-day) planned date and any note about it."""

    code: str
    name: str
    planned: date
    original: date
    note: str | None = None
    stage: Stage | None = None
    after: str | None = None

    @property
    def moved(self) -> bool:
        return self.planned != self.original


@dataclass(frozen=True)
class PlanIssue:
    """A problem with dates an officer entered: a stable code and a Chinese message."""

    code: str
    message: str
    node: str


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (01-31 + 1 month = 02-28/29)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def adjust_planned_date(d: date, calendar: WorkdayCalendar) -> DateAdjustment:
    """Move ``d`` to the next working day if needed, with a note an officer can read."""
    planned = calendar.next_working_day(d)
    notes: list[str] = []
    if planned != d:
        holiday = calendar.holiday_name(d)
        why = f"法定节假日（{holiday}）" if holiday else "周末"
        notes.append(f"原定{d.isoformat()}为{why}，顺延至{planned.isoformat()}")
    if not calendar.covers(planned):
        notes.append(f"{planned.year}年放假安排尚未发布，按周一至周五推算")
    return DateAdjustment(d, planned, "；".join(notes) or None)


def _offset(base: date, node: TemplateNode, calendar: WorkdayCalendar) -> date:
    if node.unit is OffsetUnit.months:
        return add_months(base, node.offset)
    if node.unit is OffsetUnit.days:
        return base + timedelta(days=node.offset)
    return calendar.add_working_days(base, node.offset) if node.offset else base


def build_plan(template: PlanTemplate, start: date, calendar: WorkdayCalendar) -> list[PlannedNode]:
    """Date every node of ``template`` from ``start``, moving dates off holidays and weekends.

    A node counts from its predecessor's (already moved) planned date, so one holiday shifts
    the rest of a chain the way it would in reality.
    """
    planned: dict[str, date] = {}
    nodes: list[PlannedNode] = []
    for node in template.nodes:
        base = start if node.after is None else planned[node.after]
        adjustment = adjust_planned_date(_offset(base, node, calendar), calendar)
        planned[node.code] = adjustment.planned
        nodes.append(
            PlannedNode(
                node.code,
                node.name,
                adjustment.planned,
                adjustment.original,
                adjustment.note,
                node.stage,
                node.after,
            )
        )
    return nodes


def revise_plan(
    plan: Sequence[PlannedNode], entered: Mapping[str, date], calendar: WorkdayCalendar
) -> tuple[list[PlannedNode], list[PlanIssue]]:
    """Apply dates an officer typed in: holidays move with a note; order problems are reported.

    Returns the revised nodes and the issues (``projects.plan_unknown_node`` for a code not in
    the plan, ``projects.plan_order`` for a node planned before its predecessor). Nodes not in
    ``entered`` keep their dates; the service refuses to save while there are issues.
    """
    known = {node.code for node in plan}
    issues = [
        PlanIssue("projects.plan_unknown_node", f"计划中没有节点“{code}”。", code)
        for code in entered
        if code not in known
    ]
    revised: list[PlannedNode] = []
    by_code: dict[str, PlannedNode] = {}
    for node in plan:
        if node.code in entered:
            adjustment = adjust_planned_date(entered[node.code], calendar)
            node = replace(
                node, planned=adjustment.planned, original=adjustment.original, note=adjustment.note
            )
        before = by_code.get(node.after) if node.after else None
        if before is not None and node.planned < before.planned:
            issues.append(
                PlanIssue(
                    "projects.plan_order",
                    f"“{node.name}”计划日期{node.planned.isoformat()}早于前置节点“{before.name}”"
                    f"计划日期{before.planned.isoformat()}，请核对。",
                    node.code,
                )
            )
        by_code[node.code] = node
        revised.append(node)
    return revised, issues


def templates_from_mapping(data: Mapping[str, Any]) -> dict[str, PlanTemplate]:
    """Parse and check the YAML structure ``{"templates": {code: {"label": ..., "nodes": [...]}}}``."""
    raw = data.get("templates") if isinstance(data, Mapping) else None
    if not isinstance(raw, Mapping) or not raw:
        raise PlanTemplateError("时序计划表模板数据缺少 templates 部分。")
    return {str(code): _parse_template(str(code), body) for code, body in raw.items()}


def _parse_template(code: str, body: Any) -> PlanTemplate:
    if not isinstance(body, Mapping) or not isinstance(body.get("label"), str):
        raise PlanTemplateError(f"模板“{code}”缺少名称（label）。")
    nodes: list[TemplateNode] = []
    for item in body.get("nodes") or []:
        node = _parse_node(code, item)
        if any(n.code == node.code for n in nodes):
            raise PlanTemplateError(f"模板“{code}”中节点编码“{node.code}”重复。")
        if node.after is not None and not any(n.code == node.after for n in nodes):
            raise PlanTemplateError(f"模板“{code}”中节点“{node.name}”的前置节点“{node.after}”须列在它之前。")
        nodes.append(node)
    if not nodes:
        raise PlanTemplateError(f"模板“{code}”没有节点。")
    return PlanTemplate(code, body["label"], tuple(nodes))


def _parse_node(template: str, item: Any) -> TemplateNode:
    if (
        not isinstance(item, Mapping)
        or not isinstance(item.get("code"), str)
        or not isinstance(item.get("name"), str)
    ):
        raise PlanTemplateError(f"模板“{template}”中有节点缺少编码或名称。")
    offset = item.get("offset", 0)
    if not isinstance(offset, int) or offset < 0:
        raise PlanTemplateError(f"模板“{template}”节点“{item['name']}”的间隔须为非负整数。")
    try:
        unit = OffsetUnit(item.get("unit", OffsetUnit.working_days))
        stage = Stage(item["stage"]) if item.get("stage") else None
    except ValueError as exc:
        raise PlanTemplateError(f"模板“{template}”节点“{item['name']}”的单位或阶段无法识别。") from exc
    return TemplateNode(item["code"], item["name"], offset, unit, item.get("after"), stage)


def load_templates(path: Path | str | None = None) -> dict[str, PlanTemplate]:
    """Templates from ``path``, or the packaged ``data/plan_templates.yaml`` when None."""
    if path is None:
        return dict(_packaged_templates())
    with open(path, encoding="utf-8") as handle:
        return templates_from_mapping(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def _packaged_templates() -> dict[str, PlanTemplate]:
    text = (
        resources.files("longcheng.projects.data").joinpath("plan_templates.yaml").read_text(encoding="utf-8")
    )
    return templates_from_mapping(yaml.safe_load(text))
