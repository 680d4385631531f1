"""``longcheng talent``: re-encryption after a key rotation, and a refused import from the command line."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.talent.support import person, resident_id
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core.config import load_settings
from longcheng.core.db import make_engine, make_sessionmaker
from longcheng.core.pii import vault
from longcheng.talent.models import Person
from longcheng.talent.service import people


def test_rotate_key_reencrypts_every_number(
    cli_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `keys rotate`, `talent rotate-key` moves each token to the new key; the number reads the same."""
    keys = tmp_path / "pii.key"
    shutil.copy(os.environ["LONGCHENG_PII_KEY_FILE"], keys)
    monkeypatch.setenv("LONGCHENG_PII_KEY_FILE", str(keys))
    vault.configure(load_settings())
    number = resident_id(date(1993, 12, 1))
    engine = make_engine(cli_db)
    with make_sessionmaker(engine)() as session:
        person(session, id_number=number)
        session.commit()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["keys", "rotate"]).exit_code == 0
        result = runner.invoke(app, ["talent", "rotate-key"])
        assert result.exit_code == 0, result.output
        assert "已重新加密 1 人" in result.output
        with make_sessionmaker(engine)() as session:
            token = session.scalar(select(Person.id_token))
        assert token is not None
        assert not vault.needs_rotation(token)
        assert vault.decrypt(token, purpose=people.ID_PURPOSE) == number
    finally:
        engine.dispose()
        monkeypatch.undo()
        vault.configure(load_settings())


def test_missing_key_file_is_a_clear_error(
    cli_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key file: the command stops with the vault's Chinese message, nothing is re-encrypted."""
    monkeypatch.setenv("LONGCHENG_PII_KEY_FILE", str(tmp_path / "missing.key"))
    try:
        result = CliRunner().invoke(app, ["talent", "rotate-key"])
        assert result.exit_code == 1
        assert "pii.key_unavailable" in result.output
    finally:
        monkeypatch.undo()
        vault.configure(load_settings())


def test_import_with_a_bad_row_writes_nothing(cli_db: str, tmp_path: Path) -> None:
    """An unregistered person's row is listed with its line; the command exits 1."""
    path = tmp_path / "si.csv"
    header = "身份证号码,月份,单位统一社会信用代码,缴费状态"
    row = f"{resident_id(date(1990, 1, 1))},2025-06,91320400MA1234567X,已缴"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["talent", "import", "social_insurance", str(path)])
    assert result.exit_code == 1
    assert "第 2 行" in result.output
