"""The ``longcheng`` command: database, audit, users, demo, serve, and each module's sub-commands.

Sub-commands are loaded on demand: the table below names where each lives and its one-line
help, so ``longcheng --help`` imports no module (no SQLAlchemy, no extractor, no PDF library)
and answers at once; ``longcheng registry import …`` imports only what that command needs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click as click  # Typer vendors Click; its groups take these types
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Entry:
    """Where a sub-command lives (module and attribute) and its one-line help."""

    module: str
    attr: str
    help: str
    group: bool = True  # a Typer of sub-commands; False for one command (demo, serve)


COMMANDS: dict[str, Entry] = {
    "db": Entry("longcheng.core.cli", "db_app", "数据库结构（Alembic 迁移）。"),
    "audit": Entry("longcheng.core.cli", "audit_app", "操作痕迹（哈希链）。"),
    "users": Entry("longcheng.core.cli", "users_app", "用户与 API 令牌。"),
    "keys": Entry("longcheng.core.pii.cli", "app", "个人信息加密密钥（身份证号、银行账号）。"),
    "registry": Entry("longcheng.registry.cli", "app", "一企一档：机构名录的导入与模板。"),
    "intel": Entry("longcheng.intel.cli", "app", "招商情报：从新闻和简报中抽取带出处的事实。"),
    "projects": Entry(
        "longcheng.projects.cli", "app", "重大项目：督查专报、导入模板与批量导入、状态灯重算。"
    ),
    "policy": Entry(
        "longcheng.policy.cli", "app", "政策规则引擎：一键查的计算解释、官员可读的测试用例、全市批量测算。"
    ),
    "experts": Entry("longcheng.experts.cli", "app", "专家库：导入与利益冲突核查。"),
    "grants": Entry(
        "longcheng.grants.cli", "app", "兑现一网办：申报批次、批量决定、支付批次、审计抽查、预算台账。"
    ),
    "talent": Entry(
        "longcheng.talent.cli", "app", "青年人才生活补贴直兑：密钥轮换后重新加密、数据导入、月度核定。"
    ),
    "exchange": Entry(
        "longcheng.exchange.cli", "app", "产权交易：保证金账核对、竞价审计文件校验、银行流水导入、交易规则。"
    ),
    "matching": Entry("longcheng.matching.cli", "app", "揭榜挂帅与产学研对接：需求与成果的匹配排序。"),
    "jobs": Entry("longcheng.platform.jobs.cli", "app", "后台任务（任务中心）。"),
    "schedules": Entry("longcheng.platform.schedules.cli", "app", "定时任务（北京时间 cron，可限工作日）。"),
    "worker": Entry("longcheng.platform.jobs.cli", "worker_app", "启动后台任务进程。", group=False),
    "backup": Entry(
        "longcheng.platform.backup.cli",
        "backup_app",
        "备份整个数据库和文件库。",
        group=False,
    ),
    "restore": Entry(
        "longcheng.platform.backup.cli",
        "restore_app",
        "把备份恢复到一个空数据库。",
        group=False,
    ),
    "demo": Entry("longcheng.demo", "app", "建库、生成虚构的常州演示数据并启动网站。", group=False),
    "serve": Entry("longcheng.server", "app", "启动网站。", group=False),
}


COMPLETION_OPTIONS = ("install_completion", "show_completion")


def _attr(module: str, attr: str) -> Any:
    return getattr(importlib.import_module(module), attr)


class LazyGroup(TyperGroup):
    """Lists sub-commands from :data:`COMMANDS`; imports one only when it is run or asked for help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        return TyperCommand(cmd_name, help=entry.help)  # a stand-in for the help listing

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, _stub, rest = super().resolve_command(ctx, args)
        return name, load(name) if name else None, rest


def load(name: str) -> click.Command:
    """The real command behind ``name`` (imports its module)."""
    entry = COMMANDS[name]
    sub = _attr(entry.module, entry.attr)
    command = typer.main.get_group(sub) if entry.group else typer.main.get_command(sub)
    command.name = name
    # Shell completion belongs to the root command only.
    command.params = [p for p in command.params if p.name not in COMPLETION_OPTIONS]
    return command


app = typer.Typer(cls=LazyGroup, help="龙城（Longcheng）城市创新与招商服务平台。", no_args_is_help=True)


@app.callback()
def _connect_modules() -> None:
    """Connect the modules' announcements before any sub-command runs."""
    _attr("longcheng.modules", "load_models")()
    _attr("longcheng.modules", "wire")()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
