"""Project stages (线索 → 在谈 → 签约 → 注册 → 开工 → 竣工 → 投产 → 达产) and their rules.

Pure rules, no storage: the service asks :func:`check_transition` before it changes a stage and
:func:`date_order_issues` before it saves stage dates. Moving forward one step is routine;
moving back (退回) or skipping stages (跨阶段) is allowed only with a written reason, which the
audit trail keeps. Batch changes for ceremonies (集中签约/开工/竣工) are checked project by project
with :func:`check_batch`, so the service can refuse the whole batch when any project fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from longcheng.core.errors import ValidationFailed


class Stage(StrEnum):
    """The life-cycle stage of an investment project, in order."""

    lead = "lead"
    negotiating = "negotiating"
    signed = "signed"
    registered = "registered"
    started = "started"
    completed = "completed"
    producing = "producing"
    at_capacity = "at_capacity"

    @property
    def label(self) -> str:
        """The Chinese name shown to people (线索, 在谈 …)."""
        return STAGE_LABELS[self]

    @property
    def rank(self) -> int:
        """Position in the life cycle, 0 for 线索 up to 7 for 达产."""
        return STAGE_ORDER.index(self)


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

STAGE_LABELS: dict[Stage, str] = {
    Stage.lead: "线索",
    Stage.negotiating: "在谈",
    Stage.signed: "签约",
    Stage.registered: "注册",
    Stage.started: "开工",
    Stage.completed: "竣工",
    Stage.producing: "投产",
    Stage.at_capacity: "达产",
}


class StageChangeRefused(ValidationFailed):
    """A stage change that the rules do not allow as asked (e.g. skipping without a reason)."""

    code: ClassVar[str] = "projects.stage_change"
    message: ClassVar[str] = "阶段变更不符合规则。"


class StageDateError(ValidationFailed):
    """Stage dates that break the rules; ``code`` is the first issue's (``projects.date_order`` …)."""

    code: ClassVar[str] = "projects.date_order"
    message: ClassVar[str] = "阶段日期先后顺序有误。"


@dataclass(frozen=True)
class StageDecision:
    """The answer to "may this project move from ``current`` to ``target``?"."""

    allowed: bool
    needs_reason: bool
    code: str
    message: str


def _has_text(reason: str | None) -> bool:
    return reason is not None and bool(reason.strip())


def check_transition(current: Stage, target: Stage, *, reason: str | None = None) -> StageDecision:
    """Decide a stage change: one step forward is fine; back or skipping needs a reason."""
    step = target.rank - current.rank
    if step == 0:
        return StageDecision(
            False, False, "projects.stage_unchanged", f"项目已处于“{current.label}”阶段，无需变更。"
        )
    if step == 1:
        return StageDecision(
            True, False, "projects.stage_forward", f"项目由“{current.label}”推进至“{target.label}”。"
        )
    if step > 1:
        skipped = "、".join(f"“{s.label}”" for s in STAGE_ORDER[current.rank + 1 : target.rank])
        if _has_text(reason):
            return StageDecision(
                True,
                True,
                "projects.stage_skip",
                f"项目由“{current.label}”跨阶段变更为“{target.label}”（跳过{skipped}）。",
            )
        return StageDecision(
            False,
            True,
            "projects.stage_skip_needs_reason",
            f"由“{current.label}”直接变更为“{target.label}”将跳过{skipped}阶段，请填写原因。",
        )
    if _has_text(reason):
        return StageDecision(
            True, True, "projects.stage_back", f"项目由“{current.label}”退回至“{target.label}”。"
        )
    return StageDecision(
        False,
        True,
        "projects.stage_back_needs_reason",
        f"由“{current.label}”退回至“{target.label}”，请填写退回原因。",
    )


def require_transition(current: Stage, target: Stage, *, reason: str | None = None) -> StageDecision:
    """Like :func:`check_transition`, but raise :class:`StageChangeRefused` when not allowed."""
    decision = check_transition(current, target, reason=reason)
    if not decision.allowed:
        raise StageChangeRefused(
            decision.message,
            code=decision.code,
            details={"from": current.value, "to": target.value, "needs_reason": decision.needs_reason},
        )
    return decision


@dataclass(frozen=True)
class BatchDecision:
    """Per-project decisions of a ceremony batch; ``ok`` only when every project may move."""

    target: Stage
    decisions: dict[str, StageDecision]

    @property
    def ok(self) -> bool:
        return all(d.allowed for d in self.decisions.values())

    @property
    def refused(self) -> dict[str, StageDecision]:
        return {key: d for key, d in self.decisions.items() if not d.allowed}

    @property
    def message(self) -> str:
        if self.ok:
            return f"{len(self.decisions)}个项目可批量变更为“{self.target.label}”。"
        return f"{len(self.refused)}个项目无法批量变更为“{self.target.label}”，本批次未作任何修改。"


def check_batch(current: Mapping[str, Stage], target: Stage, *, reason: str | None = None) -> BatchDecision:
    """Check a batch stage change (集中签约/开工/竣工) for projects keyed by id, all or nothing."""
    return BatchDecision(
        target, {key: check_transition(stage, target, reason=reason) for key, stage in current.items()}
    )


@dataclass(frozen=True)
class DateIssue:
    """One problem with a project's stage dates: a stable code and a Chinese message."""

    code: str
    message: str
    stage: Stage


def date_order_issues(
    dates: Mapping[Stage, date], *, current: Stage | None = None, today: date | None = None
) -> list[DateIssue]:
    """Problems with stage dates: out of order, for a stage not reached yet, or in the future.

    Each stage's date must not be earlier than the date of any earlier stage (a completion date
    before the start date is ``projects.date_order``). With ``current``, a date for a later
    stage is ``projects.date_beyond_stage``; with ``today``, a date after it is
    ``projects.date_in_future`` (stage dates record what has happened).
    """
    issues: list[DateIssue] = []
    latest: tuple[Stage, date] | None = None
    for stage in STAGE_ORDER:
        when = dates.get(stage)
        if when is None:
            continue
        if latest is not None and when < latest[1]:
            issues.append(_order_issue(stage, when, *latest))
        if latest is None or when >= latest[1]:
            latest = (stage, when)
        if current is not None and stage.rank > current.rank:
            issues.append(
                DateIssue(
                    "projects.date_beyond_stage",
                    f"项目当前处于“{current.label}”阶段，不能填写“{stage.label}”日期。",
                    stage,
                )
            )
        if today is not None and when > today:
            issues.append(
                DateIssue(
                    "projects.date_in_future",
                    f"{stage.label}日期{when.isoformat()}晚于今天，阶段日期应为实际发生日期。",
                    stage,
                )
            )
    return issues


def _order_issue(stage: Stage, when: date, earlier: Stage, earlier_date: date) -> DateIssue:
    return DateIssue(
        "projects.date_order",
        f"{stage.label}日期{when.isoformat()}早于{earlier.label}日期{earlier_date.isoformat()}，请核对。",
        stage,
    )


def require_date_order(
    dates: Mapping[Stage, date], *, current: Stage | None = None, today: date | None = None
) -> None:
    """Raise :class:`StageDateError` (carrying every issue) when :func:`date_order_issues` finds any."""
    issues = date_order_issues(dates, current=current, today=today)
    if issues:
        raise StageDateError(
            "；".join(issue.message for issue in issues),
            code=issues[0].code,
            details={
                "issues": [{"code": i.code, "stage": i.stage.value, "message": i.message} for i in issues]
            },
        )
