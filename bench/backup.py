"""Backup and restore of the 100,000-organisation database, and what an online backup costs writers.

Usage: .venv/bin/python bench/backup.py [--orgs 100000] [--keep DIR]

Builds a SQLite database with ``registry.demo`` organisations (their tags, facts and one audit
record each), then times, in this process: backup of SQLite; restore into a new PostgreSQL
database (127.0.0.1:5432, skipped when it does not answer); backup of that PostgreSQL database;
restore into a new SQLite file; ``audit verify`` on each restored copy. While the SQLite backup
runs, another process commits one small write every 20 ms to a scratch table and the longest
commit is reported (how long the backup held writers up).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from longcheng.core import audit
from longcheng.core.actors import SYSTEM
from longcheng.core.db import Base, make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.migrate import upgrade
from longcheng.modules import load_models, wire
from longcheng.platform.backup import service
from longcheng.registry import demo

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    print(f"{label:45s} {time.perf_counter() - start:7.1f} s")
    return result


def pg_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def fresh_pg(name: str) -> str:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def build_source(url: str, orgs: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_sessionmaker(write_engine(engine))) as session:
        demo.seed(session, actor=SYSTEM, count=orgs)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_writes (id INTEGER PRIMARY KEY, at REAL)")
    engine.dispose()


def backup(url: str, data_dir: Path, out: Path) -> None:
    engine = make_engine(url)
    manifest = service.backup(
        engine, metadata=Base.metadata, data_dir=data_dir, out=out, progress=service.Silent()
    )
    engine.dispose()
    rows = sum(t.rows for t in manifest.tables)
    print(f"    {rows:,} rows in {len(manifest.tables)} tables, archive {out.stat().st_size / 1e6:.1f} MB")


def restore(url: str, data_dir: Path, archive: Path) -> None:
    engine = make_engine(url)
    manifest = service.open_archive(archive)
    service.prepare_target(engine, manifest)
    with transaction(make_sessionmaker(write_engine(engine))) as session:
        service.load(
            session,
            actor=SYSTEM,
            metadata=Base.metadata,
            manifest=manifest,
            archive=archive,
            data_dir=data_dir,
            progress=service.Silent(),
        )
    engine.dispose()


def verify(url: str) -> None:
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        result = audit.verify(session)
    engine.dispose()
    assert result.ok, result.problem
    print(f"    audit verify: {result.checked:,} records intact")


def writer_during(url: str, stop: Any, worst_ms: Any, commits: Any) -> None:
    """In another process (as a web worker would be): commit one small write every 20 ms."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        while not stop.is_set():
            start = time.perf_counter()
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("INSERT INTO bench_writes (at) VALUES (1)")
            conn.exec_driver_sql("COMMIT")
            worst_ms.value = max(worst_ms.value, (time.perf_counter() - start) * 1000)
            commits.value += 1
            time.sleep(0.02)
    engine.dispose()


def online_backup(url: str, data_dir: Path, out: Path) -> None:
    stop, worst_ms, commits = mp.Event(), mp.Value("d", 0.0), mp.Value("i", 0)
    writer = mp.Process(target=writer_during, args=(url, stop, worst_ms, commits))
    writer.start()
    time.sleep(1.0)  # let the writer settle before the backup starts
    before = commits.value
    try:
        timed("backup SQLite (online, a writer every 20 ms)", lambda: backup(url, data_dir, out))
    finally:
        during = commits.value - before
        stop.set()
        writer.join()
    print(f"    writer commits during backup: {during}, longest commit of the run {worst_ms.value:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the databases and archives in this folder")
    args = parser.parse_args()
    load_models()
    wire()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = args.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        source = f"sqlite:///{tmp / 'source.sqlite3'}"
        timed(f"build source ({args.orgs:,} organisations)", lambda: build_source(source, args.orgs))
        online_backup(source, tmp / "var", tmp / "sqlite.tar")
        again = tmp / "sqlite.tar"
        if pg_up():
            pg = fresh_pg("longcheng_bench_backup")
            timed("restore into PostgreSQL", lambda: restore(pg, tmp / "var-pg", tmp / "sqlite.tar"))
            verify(pg)
            timed(
                "backup PostgreSQL (REPEATABLE READ snapshot)",
                lambda: backup(pg, tmp / "var-pg", tmp / "pg.tar"),
            )
            again = tmp / "pg.tar"
        back = f"sqlite:///{tmp / 'back.sqlite3'}"
        timed(f"restore {again.name} into SQLite", lambda: restore(back, tmp / "var-back", again))
        verify(back)


if __name__ == "__main__":
    main()
