"""The monthly bulletin's rows read the database as of the month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import SYSTEM
from longcheng.projects.models import Ceremony, Project, ProjectListEntry
from longcheng.projects.report.service import gather
from longcheng.projects.schedule.progress import Month


def test_a_ceremony_after_the_month_is_not_in_its_report(
    session: Session, make_project: Callable[..., Project]
) -> None:
    """A project signed at a June ceremony shows that batch in June's report, not in May's."""
    project = make_project(lists="省重大")
    name = "2026年6.18集中签约"
    session.add(
        Ceremony(
            name=name,
            kind="signing",
            stage="signed",
            held_on=date(2026, 6, 18),
            project_count=1,
            created_by="system",
        )
    )
    session.add(ProjectListEntry(project_id=project.id, list_name=name))
    session.flush()

    def lists_in(month: Month) -> tuple[str, ...]:
        rows: list[Any] = gather(session, actor=SYSTEM, month=month, today=date(2026, 7, 1))
        return next(r.lists for r in rows if r.code == project.code)

    assert name not in lists_in(Month(2026, 5))
    assert name in lists_in(Month(2026, 6))
