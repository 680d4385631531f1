"""Core commands: ``longcheng db``, ``longcheng audit`` and ``longcheng users``."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from longcheng.core import audit, checkpoints, migrate, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.cliutil import settings, unit_of_work
from longcheng.core.db import make_engine
from longcheng.core.errors import NotFound

db_app = typer.Typer(help="数据库结构（Alembic 迁移）。", no_args_is_help=True)
audit_app = typer.Typer(help="操作痕迹（哈希链）。", no_args_is_help=True)
users_app = typer.Typer(help="用户与 API 令牌。", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """把数据库结构升级到最新版本。"""
    cfg = settings()
    engine = make_engine(cfg.database_url)
    migrate.upgrade(engine, revision)
    typer.echo(f"数据库已升级到 {migrate.current_revision(engine)}。")
    engine.dispose()


@audit_app.command("verify")
def audit_verify(
    checkpoints_file: Annotated[
        Path | None,
        typer.Option("--checkpoints", help="导出的签名检查点文件（JSON Lines），用于发现被改写的历史"),
    ] = None,
) -> None:
    """校验操作痕迹哈希链：完整时退出码 0，被篡改时退出码 1 并指出第一条问题记录。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        if checkpoints_file is None:
            result = audit.verify(session)
        else:
            pub = checkpoints.public_key(checkpoints.key_path(cfg))
            result = checkpoints.verify(session, checkpoints=checkpoints.read(checkpoints_file), pub=pub)
    if result.ok:
        extra = "，与全部签名检查点一致" if checkpoints_file else ""
        typer.echo(f"操作痕迹完整：已校验 {result.checked} 条记录{extra}。")
        return
    typer.echo(f"操作痕迹被破坏：{result.problem}（记录序号 {result.first_bad_seq}）", err=True)
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    out: Annotated[
        Path | None, typer.Option(help="把全部检查点导出到此文件（JSON Lines），交他人留存")
    ] = None,
) -> None:
    """用审计签名密钥签署当前链尾（首次使用时创建密钥文件，权限 0600）。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        key = checkpoints.load_or_create_key(checkpoints.key_path(cfg))
        cp = checkpoints.create(session, actor=SYSTEM, key=key)
        rows = checkpoints.list_all(session)
    typer.echo(f"已签署检查点：第 {cp.seq} 条记录，哈希 {cp.hash[:16]}…，密钥 {cp.key_id}。")
    if out is not None:
        count = checkpoints.export(rows, key.public_key(), out)
        typer.echo(f"已将 {count} 个检查点导出到 {out}。")


@audit_app.command("export-checkpoints")
def audit_export_checkpoints(out: Annotated[Path, typer.Option(help="导出文件（JSON Lines）")]) -> None:
    """导出全部签名检查点（含公钥），任何人都可留存并用于日后校验。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        pub = checkpoints.public_key(checkpoints.key_path(cfg))
        count = checkpoints.export(checkpoints.list_all(session), pub, out)
    typer.echo(f"已将 {count} 个检查点导出到 {out}。")


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="登录名")],
    role: Annotated[Role, typer.Option(help="角色")] = Role.admin,
    password: Annotated[str | None, typer.Option(help="密码（不填则提示输入）")] = None,
    display_name: Annotated[str, typer.Option(help="显示名称")] = "",
    org_uscc: Annotated[str | None, typer.Option(help="企业用户绑定的统一社会信用代码")] = None,
    district: Annotated[str | None, typer.Option(help="区工作人员所属区代码，如 xinbei")] = None,
) -> None:
    """创建用户（例如第一个管理员）。"""
    secret = password or getpass.getpass("密码：")
    with unit_of_work() as session:
        user = users.create(
            session,
            actor=SYSTEM,
            username=username,
            password=secret,
            role=role,
            display_name=display_name,
            org_uscc=org_uscc,
            district=district,
        )
        typer.echo(f"已创建用户 {user.username}（{role.label}）。")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Option()], name: Annotated[str, typer.Option()] = "cli"
) -> None:
    """为用户签发 API 令牌（只显示一次）。"""
    with unit_of_work() as session:
        user = users.get_by_username(session, username)
        if user is None:
            typer.echo(f"用户 {username} 不存在。", err=True)
            raise typer.Exit(1)
        typer.echo(users.create_token(session, actor=SYSTEM, user_id=user.id, name=name))


def _user_id(session: Session, username: str) -> int:
    user = users.get_by_username(session, username)
    if user is None:
        raise NotFound(f"用户 {username} 不存在。", code="users.not_found")  # unit_of_work prints it
    return user.id


@users_app.command("deactivate")
def users_deactivate(
    username: Annotated[str, typer.Option(help="登录名")],
    reason: Annotated[str, typer.Option(help="原因（记入操作痕迹）")] = "",
) -> None:
    """停用用户：立即结束其全部登录会话并撤销全部 API 令牌。"""
    with unit_of_work() as session:
        users.deactivate(session, actor=SYSTEM, user_id=_user_id(session, username), reason=reason)
    typer.echo(f"已停用用户 {username}，其会话与 API 令牌均已失效。")


@users_app.command("reactivate")
def users_reactivate(
    username: Annotated[str, typer.Option(help="登录名")],
    reason: Annotated[str, typer.Option(help="原因（记入操作痕迹）")] = "",
) -> None:
    """重新启用用户（同时解除密码错误锁定）；需重新签发 API 令牌。"""
    with unit_of_work() as session:
        users.reactivate(session, actor=SYSTEM, user_id=_user_id(session, username), reason=reason)
    typer.echo(f"已重新启用用户 {username}。")


@users_app.command("revoke-token")
def users_revoke_token(
    username: Annotated[str, typer.Option(help="登录名")],
    token_id: Annotated[int | None, typer.Option("--id", help="令牌编号（见用户页面）")] = None,
    all_tokens: Annotated[bool, typer.Option("--all", help="撤销该用户的全部令牌")] = False,
) -> None:
    """撤销用户的 API 令牌（指定编号，或 --all 全部撤销）。"""
    if (token_id is None) == (not all_tokens):
        typer.echo("请指定 --id 令牌编号，或使用 --all（二选一）。", err=True)
        raise typer.Exit(2)
    with unit_of_work() as session:
        uid = _user_id(session, username)
        tokens = users.list_tokens(session, actor=SYSTEM, user_id=uid)
        ids = [t.id for t in tokens if t.revoked_at is None] if all_tokens else [token_id or 0]
        for tid in ids:
            users.revoke_token(session, actor=SYSTEM, user_id=uid, token_id=tid)
    typer.echo(f"已撤销用户 {username} 的 {len(ids)} 个 API 令牌。")
