"""Lights turn yellow near a deadline and red when overdue, on working days, from thresholds as data."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from longcheng.core.workdays import default_calendar
from longcheng.projects.schedule.lights import (
    Light,
    LightThresholds,
    NodeArrays,
    NodeStatus,
    OrderArrays,
    SupervisionOrder,
    ThresholdError,
    lights_batch,
    load_thresholds,
    node_light,
    order_light,
    project_light,
    schedule_signal,
)
from longcheng.projects.schedule.progress import Month, schedule_progress

CAL = default_calendar()
T = load_thresholds()
MONDAY = date(2025, 3, 10)


def _node(planned: date, done: date | None = None) -> NodeStatus:
    return NodeStatus("permit", "施工许可", planned, done)


class TestPackagedThresholds:
    def test_defaults_from_data(self) -> None:
        """The packaged thresholds are yellow within 5 working days, red once overdue."""
        assert T.node_yellow_within_working_days == 5
        assert T.node_red_after_overdue_working_days == 0
        assert T.schedule_red_below_pct == Decimal(70)

    def test_officer_can_change_them_in_a_file(self, tmp_path: Path) -> None:
        """Thresholds read from another file change the lights without code."""
        path = tmp_path / "t.yaml"
        path.write_text(
            "node: {yellow_within_working_days: 10, red_after_overdue_working_days: 3}\n"
            "supervision: {yellow_within_working_days: 1, late_reply_red_working_days: 5}\n"
            "schedule: {yellow_below_pct: 95, red_below_pct: 80}\n",
            encoding="utf-8",
        )
        thresholds = load_thresholds(path)
        assert node_light(_node(date(2025, 3, 21)), MONDAY, thresholds, CAL).light is Light.yellow

    def test_bad_threshold_data_is_refused(self) -> None:
        """A negative or missing threshold is refused with a Chinese message."""
        with pytest.raises(ThresholdError, match="预警阈值"):
            LightThresholds.from_mapping({"node": {"yellow_within_working_days": -1}})


class TestNodeLight:
    @pytest.mark.parametrize(
        ("planned", "light", "reason"),
        [
            (date(2025, 3, 18), Light.green, None),
            (date(2025, 3, 17), Light.yellow, "剩余5个工作日"),
            (MONDAY, Light.yellow, "今日到期"),
            (date(2025, 3, 7), Light.red, "已逾期1个工作日"),
            (date(2025, 2, 28), Light.red, "已逾期6个工作日"),
        ],
    )
    def test_threshold_edges(self, planned: date, light: Light, reason: str | None) -> None:
        """Five working days out is yellow, six is green, yesterday's deadline is red."""
        signal = node_light(_node(planned), MONDAY, T, CAL)
        assert signal.light is light
        if reason is None:
            assert signal.reason is None
        else:
            assert reason in (signal.reason or "")
            assert "“施工许可”计划于" in (signal.reason or "")

    def test_holidays_do_not_count_as_time_left(self) -> None:
        """On 2025-09-30 a node due 2025-10-09 has one working day left: the holiday week is off."""
        signal = node_light(_node(date(2025, 10, 9)), date(2025, 9, 30), T, CAL)
        assert signal.light is Light.yellow
        assert "剩余1个工作日" in (signal.reason or "")

    def test_overdue_over_a_weekend(self) -> None:
        """A Friday deadline is already red on Saturday, though no working day has passed: the
        reason counts the calendar days, never "已逾期0个工作日" nor a bare "已逾期"."""
        signal = node_light(_node(date(2025, 3, 7)), date(2025, 3, 8), T, CAL)
        assert signal.light is Light.red
        assert (signal.reason or "").endswith("已逾期1天（节假日）")

    def test_order_overdue_over_a_weekend_gives_a_count(self) -> None:
        """An order due on Friday and unanswered on Sunday says how long, in days."""
        order = SupervisionOrder("DB-1", date(2025, 3, 7))
        signal = order_light(order, date(2025, 3, 9), T, CAL)
        assert "0个工作日" not in (signal.reason or "")
        assert "已逾期2天（节假日）未答复" in (signal.reason or "")

    def test_grace_days(self) -> None:
        """With two working days of grace, an overdue node is yellow first, then red."""
        grace = replace(T, node_red_after_overdue_working_days=2)
        assert node_light(_node(date(2025, 3, 5)), date(2025, 3, 7), grace, CAL).light is Light.yellow
        assert node_light(_node(date(2025, 3, 5)), MONDAY, grace, CAL).light is Light.red

    def test_done_nodes_are_green(self) -> None:
        """A node that is done is green even if it was finished late."""
        assert (
            node_light(_node(date(2025, 1, 6), done=date(2025, 2, 10)), MONDAY, T, CAL).light is Light.green
        )


class TestOrders:
    def test_unanswered_past_deadline_is_red(self) -> None:
        """An order not answered by its deadline is red and says by how much."""
        signal = order_light(
            SupervisionOrder("DB-2025-031", date(2025, 3, 5), subject="土地摘牌滞后"), MONDAY, T, CAL
        )
        assert signal.light is Light.red
        assert signal.reason == "督办单DB-2025-031（土地摘牌滞后）要求2025-03-05前答复，已逾期3个工作日未答复"

    def test_due_soon_is_yellow(self) -> None:
        """An order due within two working days is yellow; later is green."""
        assert order_light(SupervisionOrder("A", date(2025, 3, 12)), MONDAY, T, CAL).light is Light.yellow
        assert order_light(SupervisionOrder("A", date(2025, 3, 13)), MONDAY, T, CAL).light is Light.green

    def test_late_reply_stays_red_for_a_while(self) -> None:
        """A late reply keeps the project red for 22 working days after the reply, then clears."""
        order = SupervisionOrder("B", date(2025, 3, 3), replied=date(2025, 3, 6))
        assert order_light(order, MONDAY, T, CAL).light is Light.red
        assert "逾期答复" in (order_light(order, MONDAY, T, CAL).reason or "")
        assert order_light(order, date(2025, 5, 6), T, CAL).light is Light.green

    def test_on_time_reply_is_green(self) -> None:
        """An order answered in time is green."""
        assert (
            order_light(SupervisionOrder("C", date(2025, 3, 5), date(2025, 3, 5)), MONDAY, T, CAL).light
            is Light.green
        )


class TestProjectLight:
    def test_worst_open_node_with_red_reasons_only(self) -> None:
        """A project is as red as its worst open node, and lists only the red reasons."""
        nodes = [
            NodeStatus("a", "立项备案", date(2025, 1, 6), done=date(2025, 1, 6)),
            NodeStatus("b", "土地摘牌", date(2025, 3, 3)),
            NodeStatus("c", "施工许可", date(2025, 3, 12)),
        ]
        light = project_light(nodes, [], MONDAY, T, CAL)
        assert light.light is Light.red
        assert light.reasons == ("“土地摘牌”计划于2025-03-03完成，已逾期5个工作日",)

    def test_late_order_makes_a_green_project_red(self) -> None:
        """A late supervision reply turns an otherwise green project red."""
        nodes = [NodeStatus("a", "开工", date(2025, 6, 2))]
        assert project_light(nodes, [], MONDAY, T, CAL).light is Light.green
        late = [SupervisionOrder("D", date(2025, 3, 7))]
        assert project_light(nodes, late, MONDAY, T, CAL).light is Light.red

    def test_no_open_nodes_is_green(self) -> None:
        """A project with everything done and no orders is green with no reasons."""
        assert project_light([], [], MONDAY, T, CAL).reasons == ()


class TestSchedule:
    def test_progress_numbers(self) -> None:
        """Ten months of 1亿元 against a 12亿元 annual plan is 83.3% done, right on schedule."""
        months = {Month(2026, m): 10**10 for m in range(1, 11)}
        progress = schedule_progress(Month(2026, 10), months, annual_plan_fen=12 * 10**10)
        assert progress.completed_to_date_fen == 10 * 10**10
        assert progress.planned_to_date_fen == 10 * 10**10
        assert progress.completion_pct == Decimal("83.3")
        assert progress.schedule_pct == Decimal("100.0")
        assert (
            progress.summary()
            == "截至2026年10月，年度计划投资12亿元，已完成10亿元，占年度计划的83.3%，超序时进度0.0个百分点。"
        )

    def test_monthly_plan(self) -> None:
        """With a month-by-month plan, 序时进度 follows that plan, not twelfths."""
        plan = {Month(2026, 1): 0, Month(2026, 2): 0, Month(2026, 3): 4 * 10**8, Month(2026, 12): 6 * 10**8}
        progress = schedule_progress(Month(2026, 3), {Month(2026, 3): 3 * 10**8}, planned_by_month=plan)
        assert progress.time_pct == Decimal("40.0")
        assert progress.schedule_pct == Decimal("75.0")
        assert progress.gap_points == Decimal("-10.0")
        assert [m.completed_cum_fen for m in progress.months] == [0, 0, 3 * 10**8]

    @pytest.mark.parametrize(
        ("completed", "light"),
        [(900, Light.green), (899, Light.yellow), (700, Light.yellow), (699, Light.red)],
    )
    def test_schedule_light_edges(self, completed: int, light: Light) -> None:
        """Below 90% of the schedule is yellow, below 70% red."""
        progress = schedule_progress(
            Month(2026, 1), {Month(2026, 1): completed}, planned_by_month={Month(2026, 1): 1000}
        )
        assert schedule_signal(progress, T).light is light


class TestBatch:
    def test_batch_matches_one_by_one(self) -> None:
        """The vectorised engine gives every node and project the same light as the scalar one."""
        rng = random.Random(7)
        today = date(2026, 2, 12)
        nodes: list[tuple[int, NodeStatus]] = []
        orders: list[tuple[int, SupervisionOrder]] = []
        for p in range(60):
            base = rng.randint(-20, 30)
            for k in range(8):
                planned = today + timedelta(days=base + rng.randint(0, 40))
                done = planned if rng.random() < 0.3 else None
                nodes.append((p, NodeStatus(f"n{k}", "节点", planned, done)))
            if rng.random() < 0.4:
                due = today + timedelta(days=rng.randint(-20, 5))
                replied = due + timedelta(days=rng.randint(-3, 5)) if rng.random() < 0.5 else None
                orders.append(
                    (p, SupervisionOrder(f"O{p}", due, replied if replied and replied <= today else None))
                )
        batch = lights_batch(
            NodeArrays(
                np.array([p for p, _ in nodes]),
                np.array([n.planned for _, n in nodes], dtype="datetime64[D]"),
                np.array([n.done is not None for _, n in nodes]),
            ),
            60,
            today,
            T,
            CAL,
            orders=OrderArrays(
                np.array([p for p, _ in orders]),
                np.array([o.reply_due for _, o in orders], dtype="datetime64[D]"),
                np.array([o.replied or "NaT" for _, o in orders], dtype="datetime64[D]"),
            ),
        )
        expected_nodes = [node_light(n, today, T, CAL).light.severity for _, n in nodes]
        assert batch.node.tolist() == expected_nodes
        expected_projects = [
            project_light(
                [n for q, n in nodes if q == p], [o for q, o in orders if q == p], today, T, CAL
            ).light
            for p in range(60)
        ]
        assert batch.project_lights() == expected_projects
        assert {Light.red, Light.yellow, Light.green} <= set(expected_projects)
