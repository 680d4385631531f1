"""The key ring: tokens decrypt only with their key and purpose; rotation keeps old data readable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from longcheng.cli import app as cli_app
from longcheng.core.config import load_settings
from longcheng.core.pii import vault
from longcheng.web import create_app


@pytest.fixture
def key_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pii.key"
    vault.init_key_file(path)
    vault.configure(load_settings(pii_key_file=path))
    yield path
    vault.configure(load_settings())  # back to the test process's own ring


def test_a_token_decrypts_to_the_value_and_hides_it(key_file: Path) -> None:
    token = vault.encrypt("11010519491231002X", purpose="talent.id_number")
    assert "11010519491231002X" not in token
    assert token != vault.encrypt("11010519491231002X", purpose="talent.id_number")  # fresh nonce
    assert vault.decrypt(token, purpose="talent.id_number") == "11010519491231002X"


def test_a_token_moved_to_another_column_does_not_decrypt(key_file: Path) -> None:
    token = vault.encrypt("6222021234567890123", purpose="talent.bank_account")
    with pytest.raises(vault.PiiKeyError, match="用途与加密时不一致"):
        vault.decrypt(token, purpose="talent.id_number")


def test_the_blind_index_finds_equal_values_only(key_file: Path) -> None:
    a = vault.blind_index("11010519491231002x", purpose="person.resident_id")
    assert a == vault.blind_index(" 11010519491231002X ", purpose="person.resident_id")
    assert a != vault.blind_index("11010519491231002X", purpose="other")
    assert "11010519491231002X" not in a


def test_rotation_keeps_old_tokens_readable_and_reencrypts_them(key_file: Path) -> None:
    old = vault.encrypt("张三", purpose="p")
    index = vault.blind_index("张三", purpose="p")
    vault.rotate_key_file(key_file)
    vault.reload()
    assert vault.needs_rotation(old)
    new = vault.reencrypt(old, purpose="p")
    assert not vault.needs_rotation(new)
    assert vault.decrypt(old, purpose="p") == vault.decrypt(new, purpose="p") == "张三"
    assert vault.blind_index("张三", purpose="p") == index  # the index key never rotates


def test_a_token_from_another_key_file_names_the_missing_key(key_file: Path, tmp_path: Path) -> None:
    token = vault.encrypt("x", purpose="p")
    other = tmp_path / "other.key"
    vault.init_key_file(other)
    vault.configure(load_settings(pii_key_file=other))
    with pytest.raises(vault.PiiKeyError, match="不在密钥文件中"):
        vault.decrypt(token, purpose="p")


def test_the_site_refuses_to_start_without_its_key_file(tmp_path: Path) -> None:
    with pytest.raises(vault.PiiKeyError, match="密钥文件不存在"):
        create_app(load_settings(pii_key_file=tmp_path / "missing.key", data_dir=tmp_path))
    broken = tmp_path / "broken.key"
    broken.write_text(json.dumps({"format": vault.FORMAT, "active": "k1", "keys": {"k1": "c2hvcnQ="}}))
    with pytest.raises(vault.PiiKeyError, match="应为 32 字节"):
        create_app(load_settings(pii_key_file=broken, data_dir=tmp_path))
    vault.configure(load_settings())


def test_keys_commands_make_rotate_and_check_but_never_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"LONGCHENG_PII_KEY_FILE": str(tmp_path / "k.key")}
    made = runner.invoke(cli_app, ["keys", "init"], env=env)
    assert made.exit_code == 0, made.output
    assert (tmp_path / "k.key").stat().st_mode & 0o777 == 0o600
    again = runner.invoke(cli_app, ["keys", "init"], env=env)
    assert again.exit_code != 0
    assert "不会覆盖" in again.output
    assert runner.invoke(cli_app, ["keys", "rotate"], env=env).exit_code == 0
    checked = runner.invoke(cli_app, ["keys", "check"], env=env)
    assert checked.exit_code == 0
    assert "共 2 把" in checked.output
    vault.configure(load_settings())
