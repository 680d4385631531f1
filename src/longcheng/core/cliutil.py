"""The command-line edge: settings, a transaction per command, errors printed in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from longcheng.core.config import Settings, load_settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.errors import LongchengError


def settings() -> Settings:
    return load_settings()


@contextmanager
def unit_of_work(cfg: Settings | None = None) -> Iterator[Session]:
    """One transaction for one command; a :class:`LongchengError` is printed and exits with 1."""
    cfg = cfg or settings()
    engine = make_engine(cfg.database_url, busy_timeout_ms=cfg.sqlite_busy_timeout_ms)
    try:
        with transaction(make_sessionmaker(write_engine(engine))) as session:
            yield session
    except LongchengError as exc:
        fail(exc)
    finally:
        engine.dispose()


def fail(exc: LongchengError) -> None:
    typer.echo(f"错误 [{exc.code_text}]：{exc.message_text}", err=True)
    for key, value in exc.details.items():
        typer.echo(f"  - {key}：{value}", err=True)
    raise typer.Exit(1)
