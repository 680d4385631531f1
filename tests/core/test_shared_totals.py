"""A list total counted by one web worker is taken by the others, and a change counts again.

Each worker process used to count every list question itself (on PostgreSQL a search count is
10–20 ms of the database's CPU), so two workers counted each one twice. Two apps on one
migrated database stand for two worker processes here: each keeps its own totals in memory,
and ``totals.clear()`` between them stands for the second process's empty memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Select, func, select
from tests.factories import new_uscc

from longcheng.core import totals
from longcheng.core.actors import SYSTEM
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.registry import service as registry_service
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import OrgCreate


def _count(calls: list[str], name: str) -> Callable[[], Select[int]]:
    def build() -> Select[int]:
        calls.append(name)
        return select(func.count()).select_from(Organisation).where(Organisation.name.contains("共享"))

    return build


def test_a_second_worker_takes_the_first_ones_count_until_the_data_changes(cli_db: str) -> None:
    engine = make_engine(cli_db)
    sessions = make_sessionmaker(engine)
    key = ("test.shared", "共享")
    with transaction(sessions) as s:
        for i in range(3):
            registry_service.create(
                s, actor=SYSTEM, data=OrgCreate(uscc=new_uscc(), name=f"常州共享{i}号有限公司")
            )
    calls: list[str] = []
    totals.clear()
    with transaction(sessions) as s:
        assert totals.total(s, key, _count(calls, "first worker")) == 3
    totals.clear()  # the second worker's memory
    with transaction(sessions) as s:
        assert totals.total(s, key, _count(calls, "second worker")) == 3
    assert calls == ["first worker"]
    with transaction(sessions) as s:
        registry_service.create(s, actor=SYSTEM, data=OrgCreate(uscc=new_uscc(), name="常州共享新号有限公司"))
    totals.clear()
    with transaction(sessions) as s:
        assert totals.total(s, key, _count(calls, "after the change")) == 4
    assert calls == ["first worker", "after the change"]
    totals.clear()
    engine.dispose()


def test_a_busy_sqlite_writer_is_not_waited_for(tmp_path: Path) -> None:
    """While another connection holds SQLite's write lock (an import), a worker counts and
    answers at once: sharing its count is skipped, never waited for (the busy timeout is 10 s)."""
    from longcheng.core.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'busy.sqlite3'}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as s:
        registry_service.create(s, actor=SYSTEM, data=OrgCreate(uscc=new_uscc(), name="常州共享忙号有限公司"))
    totals.clear()
    holder = write_engine(engine).connect()
    holder.exec_driver_sql("DELETE FROM audit_record WHERE 1 = 0")  # BEGIN IMMEDIATE: an import's lock
    try:
        calls: list[str] = []
        with sessions() as s:
            assert totals.total(s, ("test.busy",), _count(calls, "busy")) == 1
        assert calls == ["busy"]
    finally:
        holder.rollback()
        holder.close()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(totals.KeptTotal)) == 0
    totals.clear()
    engine.dispose()
