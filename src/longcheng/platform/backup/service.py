"""Backup from and restore into a database of either backend, through the archive in ``archive.py``.

The caller passes the full table metadata (``core.db.Base.metadata`` after the edge has called
``longcheng.modules.load_models()``), so this package never names a domain. Backup reads a
consistent snapshot without holding writers: SQLite's backup API copies the database to a
temporary file first; PostgreSQL reads in one REPEATABLE READ, read-only transaction. Restore is
split at the transaction edge: :func:`open_archive` and :func:`prepare_target` run before the
command's unit of work, :func:`load` inside it (it never commits).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, delete, func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from longcheng.core import hooks, migrate
from longcheng.core.actors import Actor
from longcheng.core.audit import AuditHead
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, LongchengError
from longcheng.platform.backup.archive import (
    FILES_DIR,
    Manifest,
    PartWriter,
    StoredFile,
    TablePart,
    file_sha256,
    kind_of,
    members,
    read_manifest,
    rows,
    verify,
    write_archive,
)

PAGE = 5000


class Progress(Protocol):
    """Where long steps report: a bar on a terminal, plain lines when piped."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


class Silent:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


class TargetNotEmpty(Conflict):
    code = "backup.target_not_empty"
    message = "目标数据库不是空库，拒绝恢复：请恢复到一个新建的空数据库。"


class SchemaMismatch(LongchengError):
    code = "backup.schema_mismatch"
    status = 409
    message = "备份的数据库结构版本与目标数据库不同，拒绝恢复。"


class UnsupportedDatabase(LongchengError):
    code = "backup.unsupported_database"
    message = "内存数据库无法备份，请使用数据库文件或 PostgreSQL。"


# ---------------------------------------------------------------- backup


def backup(engine: Engine, *, metadata: MetaData, data_dir: Path, out: Path, progress: Progress) -> Manifest:
    """Write one archive of every table in ``metadata`` and every stored file to ``out``."""
    with tempfile.TemporaryDirectory(prefix="longcheng-backup-") as tmp, _snapshot(engine, Path(tmp)) as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
        manifest = Manifest(
            revisions=sorted(heads),
            created_at=utcnow().isoformat(),
            backend=engine.dialect.name,
        )
        parts: list[tuple[str, Path]] = []
        for table in metadata.sorted_tables:
            part = _dump_table(conn, table, Path(tmp) / f"{table.name}.jsonl.gz", progress)
            manifest.tables.append(part)
            parts.append((part.member, Path(tmp) / f"{table.name}.jsonl.gz"))
        manifest.files = _stored_files(data_dir / "files", progress)
        parts += [(f.member, data_dir / "files" / f.path) for f in manifest.files]
        out.parent.mkdir(parents=True, exist_ok=True)
        write_archive(out, manifest, parts)
    return manifest


@contextmanager
def _snapshot(engine: Engine, tmp: Path) -> Iterator[Connection]:
    """A connection that sees one consistent state of the database for as long as it is open."""
    if engine.dialect.name == "sqlite":
        if engine.url.database in (None, "", ":memory:"):
            raise UnsupportedDatabase()
        copy = tmp / "snapshot.sqlite3"
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(copy)
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
            target.close()
        finally:
            raw.close()
        snap = create_engine(f"sqlite:///{copy}")
        try:
            with snap.connect() as conn:
                yield conn
        finally:
            snap.dispose()
        return
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        yield conn
        conn.rollback()


def _dump_table(conn: Connection, table: Table, path: Path, progress: Progress) -> TablePart:
    """Write ``table``'s rows in primary-key order, a page at a time (keyset paging, any driver)."""
    columns = list(table.columns)
    part = TablePart(table=table.name, columns={c.name: kind_of(_python_type(c.type)) for c in columns})
    progress.start(f"备份 {table.name}", conn.execute(select(func.count()).select_from(table)).scalar_one())
    writer = PartWriter(path, part)
    pk = list(table.primary_key.columns)
    stmt = select(*columns).order_by(*pk)
    if len(pk) != 1:
        batch = conn.execute(stmt).all()
        writer.write(batch)
        progress.advance(len(batch))
        return writer.close()
    key = columns.index(pk[0])
    last: Any = None
    while True:
        page = stmt.limit(PAGE) if last is None else stmt.where(pk[0] > last).limit(PAGE)
        batch = conn.execute(page).all()
        if not batch:
            return writer.close()
        writer.write(batch)
        progress.advance(len(batch))
        last = batch[-1][key]


def _python_type(type_: Any) -> type | None:
    """The Python type of a column's values (a ``TypeDecorator`` answers for its stored type)."""
    if isinstance(type_, TypeDecorator):
        return _python_type(type_.impl_instance)
    try:
        python_type: type = type_.python_type
    except NotImplementedError:
        return None
    return python_type


def _stored_files(root: Path, progress: Progress) -> list[StoredFile]:
    """Every file under the content-addressed store (temporary ``.tmp-`` files left out)."""
    paths = (
        sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
        if root.exists()
        else []
    )
    progress.start("备份文件库", len(paths))
    files = []
    for path in paths:
        files.append(StoredFile(path.relative_to(root).as_posix(), path.stat().st_size, file_sha256(path)))
        progress.advance(1)
    return files


# ---------------------------------------------------------------- restore


def open_archive(path: Path) -> Manifest:
    """Read the manifest and check every part's checksum; a damaged archive is refused naming the part."""
    manifest = read_manifest(path)
    verify(path, manifest)
    return manifest


def prepare_target(engine: Engine, manifest: Manifest) -> None:
    """Bring an unmigrated target to the archive's revisions; refuse a newer or different schema."""
    known = {
        rev.revision for rev in ScriptDirectory.from_config(migrate.alembic_config(engine)).walk_revisions()
    }
    ours = ",".join(sorted(migrate.head_revisions(engine)))
    wanted = ",".join(manifest.revisions)
    unknown = [rev for rev in manifest.revisions if rev not in known]
    if unknown:
        raise SchemaMismatch(
            f"备份来自更新的数据库结构（备份：{wanted}；本程序：{ours}），请先升级龙城再恢复。",
            code="backup.archive_newer",
            details={"备份的结构版本": wanted, "本程序的结构版本": ours},
        )
    if migrate.current_revision(engine) is None:
        for revision in manifest.revisions:
            migrate.upgrade(engine, revision)
    current = migrate.current_revision(engine) or "空"
    if current != wanted:
        raise SchemaMismatch(
            f"目标数据库的结构版本（{current}）与备份（{wanted}）不同，请恢复到一个新建的空数据库。",
            details={"备份的结构版本": wanted, "目标数据库的结构版本": current},
        )


def load(
    session: Session,
    *,
    actor: Actor,
    metadata: MetaData,
    manifest: Manifest,
    archive: Path,
    data_dir: Path,
    progress: Progress,
) -> None:
    """Insert every part into the empty target in foreign-key order and copy the stored files."""
    tables = _target_tables(metadata, manifest)
    _require_empty(session, list(metadata.sorted_tables))
    order = {t.name: i for i, t in enumerate(metadata.sorted_tables)}
    parts = {p.member: p for p in manifest.tables}
    pending: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="longcheng-restore-") as tmp:
        # Members come in the archive's order; parts are inserted in this schema's dependency order.
        for name, handle in members(archive, manifest):
            if name.startswith(FILES_DIR):
                _put_file(data_dir / "files" / name.removeprefix(FILES_DIR), handle)
                continue
            pending[name] = Path(tmp) / f"{len(pending)}.gz"
            with pending[name].open("wb") as spool:
                while block := handle.read(1 << 20):
                    spool.write(block)
        for name in sorted(pending, key=lambda n: order[parts[n].table]):
            _load_table(session, tables[parts[name].table], parts[name], pending[name], progress)
    _reset_sequences(session, list(tables.values()))
    hooks.publish(hooks.DATA_RESTORED, session, actor=actor, tables=sorted(tables))


def _target_tables(metadata: MetaData, manifest: Manifest) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for part in manifest.tables:
        table = metadata.tables.get(part.table)
        missing = [c for c in part.columns if table is not None and c not in table.columns]
        if table is None or missing:
            raise SchemaMismatch(
                f"备份中的表 {part.table} 与本程序的数据库结构不符。",
                details={"表": part.table, "缺少的列": "、".join(missing) or "整张表"},
            )
        tables[part.table] = table
    return tables


def _require_empty(session: Session, tables: list[Table]) -> None:
    """Refuse a target holding any row (the chain head's genesis row written by the migration aside)."""
    found: list[str] = []
    for table in tables:
        stmt = select(func.count()).select_from(table)
        if table.name == AuditHead.__tablename__:
            stmt = stmt.where(table.c.seq != 0)
        count = session.execute(stmt).scalar_one()
        if count:
            found.append(f"{table.name}（{count} 行）")
    if found:
        raise TargetNotEmpty(details={"已有数据的表": "、".join(found)})


def _load_table(session: Session, table: Table, part: TablePart, path: Path, progress: Progress) -> None:
    progress.start(f"恢复 {table.name}", part.rows)
    conn = session.connection()
    if table.name == AuditHead.__tablename__:
        conn.execute(delete(table))
    returning = insert(table).returning(*table.primary_key.columns)
    with path.open("rb") as handle:
        for batch in rows(handle, part, batch=PAGE):
            conn.execute(returning, batch)
            progress.advance(len(batch))


def _reset_sequences(session: Session, tables: list[Table]) -> None:
    """PostgreSQL: move each serial id's sequence past the restored ids (explicit ids skip it)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or _python_type(pk[0].type) is not int:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name, "column": pk[0].name},
        )


def _put_file(target: Path, handle: Any) -> None:
    """Copy one stored file into place unless the same content-addressed name is already there."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            while block := handle.read(1 << 20):
                out.write(block)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
