"""Stage changes follow the life cycle; going back or skipping needs a reason; dates stay in order."""

from __future__ import annotations

from datetime import date

import pytest

from longcheng.projects.schedule.stages import (
    STAGE_ORDER,
    Stage,
    StageChangeRefused,
    StageDateError,
    check_batch,
    check_transition,
    date_order_issues,
    require_date_order,
    require_transition,
)


def test_life_cycle_order_and_labels() -> None:
    """Stages run 线索 → 在谈 → 签约 → 注册 → 开工 → 竣工 → 投产 → 达产."""
    assert [s.label for s in STAGE_ORDER] == ["线索", "在谈", "签约", "注册", "开工", "竣工", "投产", "达产"]
    assert Stage("at_capacity").rank == 7


class TestTransition:
    def test_one_step_forward_needs_no_reason(self) -> None:
        """Signed → registered is routine."""
        decision = check_transition(Stage.signed, Stage.registered)
        assert decision.allowed
        assert decision.code == "projects.stage_forward"

    def test_skipping_needs_a_reason(self) -> None:
        """Signed → started skips 注册; without a reason it is refused and says what is skipped."""
        refused = check_transition(Stage.signed, Stage.started)
        assert not refused.allowed
        assert refused.code == "projects.stage_skip_needs_reason"
        assert "注册" in refused.message
        allowed = check_transition(Stage.signed, Stage.started, reason="集中开工，注册手续并联办理")
        assert allowed.allowed
        assert allowed.code == "projects.stage_skip"

    def test_going_back_needs_a_reason(self) -> None:
        """Started → signed is refused without a reason, and a blank reason does not count."""
        assert (
            check_transition(Stage.started, Stage.signed, reason="  ").code
            == "projects.stage_back_needs_reason"
        )
        assert (
            check_transition(Stage.started, Stage.signed, reason="施工许可被撤销").code
            == "projects.stage_back"
        )

    def test_same_stage_is_no_change(self) -> None:
        """Asking for the stage the project already has is refused as unchanged."""
        assert check_transition(Stage.lead, Stage.lead).code == "projects.stage_unchanged"

    def test_require_raises_with_stable_code(self) -> None:
        """The raising form carries the decision's code and Chinese message."""
        with pytest.raises(StageChangeRefused) as caught:
            require_transition(Stage.producing, Stage.completed)
        assert caught.value.code_text == "projects.stage_back_needs_reason"
        assert "退回" in caught.value.message_text
        assert caught.value.status_code == 422


class TestBatch:
    def test_ceremony_batch_is_all_or_nothing(self) -> None:
        """One project that cannot move makes the whole 集中开工 batch refused, naming it."""
        batch = check_batch(
            {"P1": Stage.registered, "P2": Stage.registered, "P3": Stage.negotiating}, Stage.started
        )
        assert not batch.ok
        assert set(batch.refused) == {"P3"}
        assert "未作任何修改" in batch.message
        assert check_batch({"P1": Stage.registered, "P2": Stage.registered}, Stage.started).ok


class TestDates:
    def test_completion_before_start_is_an_order_error(self) -> None:
        """A completion date before the start date is projects.date_order with both dates named."""
        issues = date_order_issues({Stage.started: date(2025, 5, 1), Stage.completed: date(2025, 3, 1)})
        assert [i.code for i in issues] == ["projects.date_order"]
        assert "竣工日期2025-03-01早于开工日期2025-05-01" in issues[0].message

    def test_ordered_dates_pass(self) -> None:
        """Dates in life-cycle order, same-day steps included, raise nothing."""
        require_date_order(
            {
                Stage.signed: date(2025, 1, 8),
                Stage.registered: date(2025, 1, 8),
                Stage.started: date(2025, 4, 1),
            },
            current=Stage.started,
            today=date(2025, 5, 1),
        )

    def test_gaps_are_compared_across(self) -> None:
        """A start date before the signing date is caught even when 注册 has no date."""
        issues = date_order_issues({Stage.signed: date(2025, 6, 1), Stage.started: date(2025, 2, 1)})
        assert "早于签约日期" in issues[0].message

    def test_date_for_a_stage_not_reached(self) -> None:
        """A project still at 签约 cannot carry a 竣工 date."""
        with pytest.raises(StageDateError) as caught:
            require_date_order(
                {Stage.signed: date(2025, 1, 8), Stage.completed: date(2025, 9, 1)}, current=Stage.signed
            )
        assert caught.value.code_text == "projects.date_beyond_stage"

    def test_future_dates(self) -> None:
        """Stage dates record what happened, so a date after today is flagged."""
        issues = date_order_issues({Stage.signed: date(2026, 12, 1)}, today=date(2026, 11, 24))
        assert [i.code for i in issues] == ["projects.date_in_future"]
