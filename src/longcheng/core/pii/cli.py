"""``longcheng keys``: make, rotate and check the key ring that encrypts personal data."""

from __future__ import annotations

import typer

from longcheng.core import cliutil
from longcheng.core.errors import LongchengError
from longcheng.core.pii import vault

app = typer.Typer(help="个人信息加密密钥（身份证号、银行账号）。", no_args_is_help=True)


@app.command("init")
def init() -> None:
    """生成新的密钥文件（已存在则拒绝，绝不覆盖）。"""
    path = vault.key_file_of(cliutil.settings())
    try:
        ring = vault.init_key_file(path)
    except LongchengError as exc:
        cliutil.fail(exc)
    typer.echo(f"已生成密钥文件 {path}（当前密钥 {ring.active}）。请与数据库备份分开妥善保管。")


@app.command("rotate")
def rotate() -> None:
    """新增一把当前密钥；旧密钥保留用于解密，各模块的 rotate-key 命令负责重新加密。"""
    path = vault.key_file_of(cliutil.settings())
    try:
        ring = vault.rotate_key_file(path)
    except LongchengError as exc:
        cliutil.fail(exc)
    typer.echo(f"已轮换：当前密钥 {ring.active}，共 {len(ring.keys)} 把。")


@app.command("check")
def check() -> None:
    """检查密钥文件能否读取（只显示密钥编号，不显示密钥）。"""
    settings = cliutil.settings()
    vault.configure(settings)
    try:
        info = vault.describe(vault.check())
    except LongchengError as exc:
        cliutil.fail(exc)
    path = vault.key_file_of(settings)
    typer.echo(f"密钥文件 {path} 正常：当前密钥 {info['active']}，共 {info['count']} 把。")
