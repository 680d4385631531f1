"""``longcheng backup`` and ``longcheng restore``: a portable archive that moves between backends.

The source is a SQLite database with demo-like data in every module (organisations, users,
projects, policy runs, intel documents with their stored files, and the audit records all of
them wrote). Restoring it must reproduce every row of every table and every stored file, keep
the audit chain verifiable, and refuse damaged archives, non-empty targets and newer schemas.
"""

from __future__ import annotations

import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from tests.conftest import PG_URL, fresh_pg_database
from tests.factories import make_org
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import migrate, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.db import Base, make_engine, make_sessionmaker, transaction, write_engine
from longcheng.intel import demo as intel_demo
from longcheng.modules import load_models
from longcheng.policy import demo as policy_demo
from longcheng.projects import demo as projects_demo
from longcheng.registry import demo as registry_demo
from longcheng.registry.search import FTS_TABLE

runner = CliRunner()
ORGS = 80


@dataclass(frozen=True)
class Place:
    """A database and its data folder, as the CLI reaches them through the environment."""

    url: str
    data_dir: Path

    @property
    def env(self) -> dict[str, str]:
        return {"LONGCHENG_DATABASE_URL": self.url, "LONGCHENG_DATA_DIR": str(self.data_dir)}


def invoke(place: Place, *args: str) -> Any:
    return runner.invoke(app, list(args), env=place.env)


def seed(place: Place) -> None:
    engine = make_engine(place.url)
    migrate.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        registry_demo.seed(session, actor=SYSTEM, count=ORGS)
        first = next(registry_demo.generate(1))
        users.create(session, actor=SYSTEM, username="admin", password="pw-long-enough-1", role=Role.admin)
        projects_demo.seed(session, actor=SYSTEM, count=20, orgs=ORGS)
        policy_demo.seed(session, actor=SYSTEM, showcase_uscc=first["uscc"])
        intel_demo.seed(session, actor=SYSTEM, data_dir=place.data_dir, count=20)
    engine.dispose()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Place:
    root = tmp_path_factory.mktemp("source")
    place = Place(f"sqlite:///{root / 'source.sqlite3'}", root / "var")
    seed(place)
    return place


@pytest.fixture(scope="module")
def archive(source: Place, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive") / "longcheng.tar"
    result = invoke(source, "backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def sqlite_place(tmp_path: Path, name: str) -> Place:
    return Place(f"sqlite:///{tmp_path / f'{name}.sqlite3'}", tmp_path / f"var-{name}")


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order, as Python values (types applied)."""
    load_models()
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }
    engine.dispose()
    return rows


def stored_files(data_dir: Path) -> dict[str, bytes]:
    root = data_dir / "files"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_same(a: Place, b: Place) -> None:
    left, right = every_row(a.url), every_row(b.url)
    assert sorted(left) == sorted(right)
    for table, rows in left.items():
        assert rows == right[table], f"表 {table} 的数据不一致"
    assert stored_files(a.data_dir) == stored_files(b.data_dir)


def restore_ok(place: Place, path: Path) -> None:
    result = invoke(place, "restore", str(path))
    assert result.exit_code == 0, result.output
    verified = invoke(place, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "操作痕迹完整" in verified.output


def test_the_source_has_data_in_every_module(source: Place) -> None:
    """The fixture really holds organisations, projects, policy runs, documents, files and audit rows."""
    rows = every_row(source.url)
    for table in ("registry_org", "projects_project", "policy_run", "intel_document", "audit_record"):
        assert rows[table], table
    assert stored_files(source.data_dir)


def test_sqlite_to_sqlite_restores_every_row_and_file(source: Place, archive: Path, tmp_path: Path) -> None:
    """A restore into an empty SQLite file reproduces every row and file; the name index is rebuilt."""
    target = sqlite_place(tmp_path, "copy")
    restore_ok(target, archive)
    assert_same(source, target)
    engine = make_engine(target.url)
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one() == ORGS
    engine.dispose()


def test_round_trip_sqlite_postgres_sqlite(source: Place, archive: Path, tmp_path: Path) -> None:
    """SQLite → PostgreSQL → SQLite keeps every row of every table, the files and the audit chain."""
    if PG_URL is None:
        pytest.skip("PostgreSQL 不可用：127.0.0.1:5432 无应答且未设置 LONGCHENG_TEST_DATABASE_URL")
    pg = Place(fresh_pg_database("longcheng_backup_pg"), tmp_path / "var-pg")
    restore_ok(pg, archive)
    assert_same(source, pg)
    again = tmp_path / "from-pg.tar"
    assert invoke(pg, "backup", "--out", str(again)).exit_code == 0
    back = sqlite_place(tmp_path, "back")
    restore_ok(back, again)
    assert_same(source, back)
    engine = make_engine(pg.url)
    with transaction(make_sessionmaker(engine)) as session:
        added = make_org(session, name="常州恢复后新增科技有限公司")  # sequences moved past restored ids
    assert added.id == ORGS + 1
    engine.dispose()


def test_backup_prints_plain_progress_lines_when_piped(source: Place, tmp_path: Path) -> None:
    """Without a terminal the command reports each table as one plain line, not a progress bar."""
    result = invoke(source, "backup", "--out", str(tmp_path / "b.tar"))
    assert result.exit_code == 0, result.output
    assert f"备份 registry_org：{ORGS}/{ORGS}" in result.output
    assert "longcheng intel reindex" in result.output


def test_backup_does_not_wait_for_an_open_write(source: Place, tmp_path: Path) -> None:
    """An online backup runs while a writer holds SQLite's write lock, and sees only committed rows."""
    engine = make_engine(source.url)
    with write_engine(engine).connect() as writer:
        writer.begin()  # BEGIN IMMEDIATE: the write lock is held until the rollback below
        writer.exec_driver_sql(
            "INSERT INTO app_user (username, display_name, password_hash, role, is_active, failed_logins,"
            " created_at) VALUES ('pending', '未提交', 'x', 'admin', 1, 0, '2026-01-01 00:00:00')"
        )
        out = tmp_path / "online.tar"
        result = invoke(source, "backup", "--out", str(out))
        writer.rollback()
    engine.dispose()
    assert result.exit_code == 0, result.output
    target = sqlite_place(tmp_path, "online")
    restore_ok(target, out)
    assert "pending" not in {row[1] for row in every_row(target.url)["app_user"]}


def member_offset(path: Path, name: str) -> tuple[int, int]:
    with tarfile.open(path) as tar:
        info = tar.getmember(name)
        return info.offset_data, info.size


def test_flipped_byte_is_refused_naming_the_part(archive: Path, tmp_path: Path) -> None:
    """One changed byte inside a table's part is refused by its checksum, naming that part."""
    data = bytearray(archive.read_bytes())
    start, size = member_offset(archive, "tables/registry_org.jsonl.gz")
    data[start + size // 2] ^= 0x01
    bad = tmp_path / "flipped.tar"
    bad.write_bytes(bytes(data))
    target = sqlite_place(tmp_path, "flipped")
    result = invoke(target, "restore", str(bad))
    assert result.exit_code == 1
    assert "backup.archive_corrupt" in result.output
    assert "tables/registry_org.jsonl.gz" in result.output
    assert "校验和不符" in result.output
    assert not Path(target.url.removeprefix("sqlite:///")).exists()  # nothing was written


def test_truncated_archive_is_refused_naming_the_part(archive: Path, tmp_path: Path) -> None:
    """An archive cut short (a copy that stopped half-way) is refused, naming the part that fails."""
    start, size = member_offset(archive, "tables/registry_org.jsonl.gz")
    bad = tmp_path / "truncated.tar"
    bad.write_bytes(archive.read_bytes()[: start + size // 2])
    target = sqlite_place(tmp_path, "truncated")
    result = invoke(target, "restore", str(bad))
    assert result.exit_code == 1
    assert "tables/registry_org.jsonl.gz" in result.output
    assert not Path(target.url.removeprefix("sqlite:///")).exists()


def test_archive_cut_between_parts_names_the_first_missing(archive: Path, tmp_path: Path) -> None:
    """Cut right after a part, the archive is refused naming the first part that is missing."""
    with tarfile.open(archive) as tar:
        infos = tar.getmembers()
    cut = infos[3].offset_data + ((infos[3].size + 511) // 512) * 512
    bad = tmp_path / "short.tar"
    bad.write_bytes(archive.read_bytes()[:cut])
    result = invoke(sqlite_place(tmp_path, "short"), "restore", str(bad))
    assert result.exit_code == 1
    assert infos[4].name in result.output
    assert "截断" in result.output


def test_restore_into_a_non_empty_database_is_refused(cli_db: str, archive: Path, tmp_path: Path) -> None:
    """A target that already holds data is refused and left exactly as it was."""
    place = Place(cli_db, tmp_path / "var")
    engine = make_engine(cli_db)
    with transaction(make_sessionmaker(engine)) as session:
        make_org(session, name="常州已有数据科技有限公司")
    before = every_row(cli_db)
    result = invoke(place, "restore", str(archive))
    assert result.exit_code == 1
    assert "backup.target_not_empty" in result.output
    assert "registry_org" in result.output
    assert every_row(cli_db) == before
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(Base.metadata.tables["registry_org"])).scalar() == 1
        )
    engine.dispose()


def rewrite_manifest(src: Path, dst: Path, **changes: Any) -> None:
    with tarfile.open(src) as tar, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as out:
        for info in tar:
            handle = tar.extractfile(info)
            assert handle is not None
            data = handle.read()
            if info.name == "manifest.json":
                data = json.dumps({**json.loads(data), **changes}).encode()
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def test_archive_from_a_newer_schema_is_refused_naming_both(
    cli_db: str, archive: Path, tmp_path: Path
) -> None:
    """An archive made by a newer Longcheng (unknown revision) is refused, naming both revisions."""
    newer = tmp_path / "newer.tar"
    rewrite_manifest(archive, newer, revisions=["0003", "0100", "0200", "0399"])
    result = invoke(Place(cli_db, tmp_path / "var"), "restore", str(newer))
    assert result.exit_code == 1
    assert "backup.archive_newer" in result.output
    assert "0003,0100,0200,0399" in result.output
    engine: Engine = make_engine(cli_db)
    ours = ",".join(sorted(migrate.head_revisions(engine)))
    engine.dispose()
    assert ours in result.output
