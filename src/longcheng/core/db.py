"""Database plumbing: the declarative base, portable column types, engines and sessions.

SQLite (WAL, busy timeout, foreign keys on) is the default; PostgreSQL is reached through
``LONGCHENG_DATABASE_URL`` with the psycopg 3 driver (LGPL, used unmodified; C speed-ups from
``psycopg[binary]``). Engines are built by the app factory or the CLI, never at import time.
Services never commit: the request or command edge owns the transaction (:func:`transaction`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Engine, MetaData, Table, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; constraint names are stable so migrations stay portable."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite returns naive values; we re-attach UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Map ``postgresql://`` / ``postgres://`` to the psycopg 3 driver we ship."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


# Connections beyond the threads' and the requests' own, for a process's long-lived threads
# (the bidding room's writer, the stream hubs' polls).
SPARE_CONNECTIONS = 8


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 10_000,
    echo: bool = False,
    connections: int = 10,
    pool_timeout: float = 30.0,
) -> Engine:
    """Build an engine; SQLite gets WAL, a busy timeout, foreign keys and IMMEDIATE writes.

    The pool keeps ``connections`` open and opens as many again, plus :data:`SPARE_CONNECTIONS`,
    when a burst needs them (a web worker passes its thread count, so that no thread ever waits
    for a connection: see ``web._limits``). An in-memory SQLite database keeps SQLAlchemy's own
    pool.
    """
    url = normalise_url(url)
    overflow = connections + SPARE_CONNECTIONS
    sized: dict[str, Any] = {"pool_size": connections, "max_overflow": overflow, "pool_timeout": pool_timeout}
    if url.startswith("sqlite"):
        memory = make_url(url).database in (None, "", ":memory:")
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            **({} if memory else sized),
        )
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    engine = create_engine(url, echo=echo, **sized)
    _ping_when_idle(engine)
    return engine


# A connection given back to the pool less than this long ago is handed out without a ping.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "longcheng.db.idle_since"  # in the pool record's ``info``


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection with a round trip before use, unless it was in use a moment ago.

    SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` at every checkout: on a busy list page one
    round trip of five, with its share of the database's CPU. A connection that came back to the
    pool within :data:`PING_AFTER_IDLE_SECONDS` is taken as alive (HikariCP's pools skip their
    check within 500 ms the same way); one idle longer, or past a restart, is pinged, and a
    dead one is replaced before the request sees it. A connection that dies inside the window
    fails its request with a "busy, try again" answer (``web``) and the pool drops every
    connection of that age.
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _lent(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection no longer answers") from exc


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Let us emit BEGIN ourselves so write transactions take the lock up front (no stale snapshot)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("longcheng_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# PostgreSQL: lock_not_available (lock_timeout), deadlock_detected; SQLite says it in words.
_LOCK_SQLSTATES = frozenset({"55P03", "40P01"})
_LOCK_WORDS = ("database is locked", "database table is locked", "lock timeout")


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether a database error means "another transaction holds the lock; try again later"."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    args = getattr(orig, "args", ())
    if state is None and args and isinstance(args[0], dict):
        state = args[0].get("C")  # pg8000 puts the server's fields in a dict
    return state in _LOCK_SQLSTATES or any(w in str(orig).lower() for w in _LOCK_WORDS)


def write_engine(engine: Engine) -> Engine:
    """The same engine (and pool) marked for write transactions (SQLite: BEGIN IMMEDIATE)."""
    return engine.execution_options(longcheng_write=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The edge of a unit of work: commit when the block succeeds, roll back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def bulk_insert(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> list[Any]:
    """Insert many rows with multi-row statements on every driver; returns the new primary keys.

    ``RETURNING`` makes SQLAlchemy batch the rows as "insertmanyvalues" (1,000 a statement)
    and hand back the keys in order on SQLite and PostgreSQL alike.
    """
    if not rows:
        return []
    table = cast(Table, model.__table__)
    pk = next(iter(table.primary_key.columns))
    return list(session.connection().execute(insert(table).returning(pk), rows).scalars())


def _copy_processor(column: Any, dialect: Any) -> Any:
    """How a value reaches COPY: the column's bind processing, and JSON encoded to text (psycopg's
    JSON adaptation happens in its placeholder, which COPY does not use)."""
    if isinstance(column.type, JSON):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    return column.type.bind_processor(dialect)


def append_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Append many rows whose keys nobody reads back: ``COPY`` on PostgreSQL, multi-row inserts elsewhere.

    COPY streams the rows in one round trip without per-statement parsing, the fastest bulk load
    PostgreSQL has. Values pass through each column's bind processing (aware datetimes become
    UTC), so both paths store the same; a table whose omitted columns have Python defaults falls
    back to the insert, which applies them.
    """
    if not rows:
        return
    table = cast(Table, model.__table__)
    conn = session.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    defaulted = [c for c in table.columns if c.key not in rows[0] and c.default is not None]
    if dialect.name != "postgresql" or dialect.driver != "psycopg" or defaulted:
        conn.execute(insert(table), rows)
        return
    columns = [table.columns[k] for k in keys]
    processors = [_copy_processor(c, dialect) for c in columns]
    quote = dialect.identifier_preparer
    names = ", ".join(quote.quote(c.name) for c in columns)
    sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row([p(row[k]) if p else row[k] for k, p in zip(keys, processors, strict=True)])
