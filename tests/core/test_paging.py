"""Paging: a page past the last is empty, keeps the total, and costs the database no row query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from tests.factories import make_org

from longcheng.core.paging import paginate
from longcheng.registry.models import Organisation


def test_a_page_past_the_last_is_empty_without_a_row_query(session: Session) -> None:
    """Page 5 of three rows: no rows, the total still 3, and no SELECT of the rows is sent."""
    made = [make_org(session, name=f"常州分页{i}有限公司").id for i in range(3)]
    session.flush()
    stmt = select(Organisation).where(Organisation.id.in_(made)).order_by(Organisation.id)
    sent: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    conn = session.connection()
    event.listen(conn, "before_cursor_execute", listen)
    try:
        past = paginate(session, stmt, page=5, page_size=2, total=3)
        assert sent == []
        last = paginate(session, stmt, page=2, page_size=2, total=3)
    finally:
        event.remove(conn, "before_cursor_execute", listen)
    assert (past.items, past.total, past.page) == ([], 3, 5)
    assert [o.id for o in last.items] == made[2:]
    assert len(sent) == 1
