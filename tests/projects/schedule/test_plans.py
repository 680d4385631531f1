"""Plans are dated on working days; holiday dates move to the next working day and say so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from longcheng.core.workdays import CalendarNotCovered, default_calendar
from longcheng.projects.schedule.plans import (
    OffsetUnit,
    PlanTemplate,
    PlanTemplateError,
    TemplateNode,
    add_months,
    adjust_planned_date,
    build_plan,
    load_templates,
    revise_plan,
    templates_from_mapping,
)
from longcheng.projects.schedule.stages import Stage

CALENDAR = default_calendar()
FALLBACK = default_calendar(allow_uncovered=True)


def _template(*nodes: TemplateNode) -> PlanTemplate:
    return PlanTemplate("test", "测试模板", nodes)


class TestPackagedTemplates:
    def test_project_types(self) -> None:
        """Industrial, service, infrastructure and R&D-platform projects each have a template."""
        templates = load_templates()
        assert {"industrial", "service", "infrastructure", "rd_platform"} <= set(templates)
        assert templates["industrial"].label == "工业制造项目"

    def test_industrial_nodes(self) -> None:
        """The industrial plan holds the usual nodes in order, from 立项备案 to 投产."""
        names = [n.name for n in load_templates()["industrial"].nodes]
        for earlier, later in [
            ("立项备案", "土地摘牌"),
            ("施工许可", "开工"),
            ("主体封顶", "设备进场"),
            ("竣工验收", "投产"),
        ]:
            assert names.index(earlier) < names.index(later)

    def test_every_template_builds_with_stages_in_order(self) -> None:
        """Every packaged template dates its nodes so that stage milestones follow the life cycle."""
        for template in load_templates().values():
            plan = build_plan(template, date(2025, 3, 3), FALLBACK)
            milestones = [(n.stage.rank, n.planned) for n in plan if n.stage is not None]
            assert milestones == sorted(milestones)
            assert all(FALLBACK.is_working_day(n.planned) for n in plan)


class TestHolidayMoves:
    def test_signing_on_national_day_moves_with_note(self) -> None:
        """A node due on 2025-10-01 moves to 2025-10-09 with the reason written out."""
        plan = build_plan(
            _template(TemplateNode("signing", "项目签约", 0, stage=Stage.signed)), date(2025, 10, 1), CALENDAR
        )
        assert plan[0].planned == date(2025, 10, 9)
        assert plan[0].original == date(2025, 10, 1)
        assert plan[0].note == "原定2025-10-01为法定节假日（国庆节、中秋节），顺延至2025-10-09"

    def test_month_offset_onto_spring_festival(self) -> None:
        """One month after 2026-01-16 is 2026-02-16 (春节), so the node moves to 2026-02-24."""
        template = _template(
            TemplateNode("filing", "立项备案", 0),
            TemplateNode("listing", "土地挂牌", 1, OffsetUnit.months, after="filing"),
        )
        plan = build_plan(template, date(2026, 1, 16), CALENDAR)
        assert plan[1].planned == date(2026, 2, 24)
        assert "春节" in (plan[1].note or "")

    def test_weekend_moves_to_monday(self) -> None:
        """A date on a plain Saturday moves to Monday and says it was a weekend."""
        adjustment = adjust_planned_date(date(2025, 3, 15), CALENDAR)
        assert adjustment.planned == date(2025, 3, 17)
        assert adjustment.note == "原定2025-03-15为周末，顺延至2025-03-17"

    def test_makeup_day_is_kept(self) -> None:
        """A make-up working Sunday (2025-01-26) is a working day, so nothing moves."""
        adjustment = adjust_planned_date(date(2025, 1, 26), CALENDAR)
        assert not adjustment.moved
        assert adjustment.note is None

    def test_working_day_offsets_count_across_holidays(self) -> None:
        """Ten working days after 2025-09-30 skip the National Day week and count Saturday 10-11."""
        template = _template(TemplateNode("a", "甲", 0), TemplateNode("b", "乙", 10, after="a"))
        assert build_plan(template, date(2025, 9, 30), CALENDAR)[1].planned == date(2025, 10, 21)

    def test_successors_count_from_the_moved_date(self) -> None:
        """A node after a moved node counts from the moved date."""
        template = _template(
            TemplateNode("a", "甲", 0), TemplateNode("b", "乙", 3, OffsetUnit.days, after="a")
        )
        plan = build_plan(template, date(2025, 10, 1), CALENDAR)
        assert plan[1].planned == date(2025, 10, 13)  # 10-09 + 3 days = Sunday 10-12 → Monday


class TestCoverage:
    def test_strict_calendar_refuses_unpublished_years(self) -> None:
        """A plan reaching 2027 on the strict calendar is refused rather than guessed."""
        with pytest.raises(CalendarNotCovered):
            build_plan(load_templates()["industrial"], date(2026, 6, 1), CALENDAR)

    def test_fallback_calendar_says_so(self) -> None:
        """With the fallback calendar, nodes in 2027 note that they assume plain weeks."""
        plan = build_plan(load_templates()["industrial"], date(2026, 6, 1), FALLBACK)
        late = [n for n in plan if n.planned.year >= 2027]
        assert late
        assert all("2027年放假安排尚未发布" in (n.note or "") or n.planned.year > 2027 for n in late)


class TestRevisePlan:
    def test_entered_dates_are_checked_the_same_way(self) -> None:
        """A date typed onto a holiday moves with a note; order against the predecessor is checked."""
        plan = build_plan(load_templates()["industrial"], date(2025, 3, 3), FALLBACK)
        revised, issues = revise_plan(plan, {"production": date(2026, 10, 3)}, FALLBACK)
        node = next(n for n in revised if n.code == "production")
        assert node.planned == date(2026, 10, 8)
        assert node.note == "原定2026-10-03为法定节假日（国庆节），顺延至2026-10-08"
        assert issues == []

    def test_node_before_its_predecessor_is_reported(self) -> None:
        """Planning 竣工验收 before 消防验收 is reported with both dates."""
        plan = build_plan(load_templates()["industrial"], date(2025, 3, 3), FALLBACK)
        _, issues = revise_plan(
            plan, {"completion_acceptance": date(2025, 6, 3), "nope": date(2025, 6, 3)}, FALLBACK
        )
        assert {i.code for i in issues} == {"projects.plan_order", "projects.plan_unknown_node"}
        order = next(i for i in issues if i.code == "projects.plan_order")
        assert "“竣工验收”计划日期2025-06-03早于前置节点“消防验收”" in order.message


class TestTemplateData:
    def test_predecessor_must_come_first(self) -> None:
        """A node that counts from a later node is rejected when loading."""
        data = {"templates": {"x": {"label": "X", "nodes": [{"code": "a", "name": "甲", "after": "b"}]}}}
        with pytest.raises(PlanTemplateError, match="前置节点"):
            templates_from_mapping(data)

    def test_templates_load_from_an_officers_file(self, tmp_path: Path) -> None:
        """Templates can be read from another YAML file."""
        path = tmp_path / "t.yaml"
        path.write_text(
            "templates:\n  x:\n    label: 试点\n    nodes:\n"
            "      - {code: a, name: 甲, offset: 0, stage: started}\n",
            encoding="utf-8",
        )
        assert load_templates(path)["x"].nodes[0].stage is Stage.started

    def test_add_months_clamps_to_month_end(self) -> None:
        """January 31 plus one month is the last day of February."""
        assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
        assert add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)
