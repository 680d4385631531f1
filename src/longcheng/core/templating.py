"""Jinja2 set-up: one loader over every module's ``templates/`` folder, Chinese display helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from longcheng.core import changelog
from longcheng.core.actors import Actor
from longcheng.core.auth import can
from longcheng.core.clock import format_local
from longcheng.core.http import csrf_token, state_of
from longcheng.core.options import option_tags
from longcheng.core.validation import field_label


def fen_to_yuan(fen: int | None) -> str:
    """``123456`` → ``1,234.56``."""
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:,.2f}"


def fen_to_wan(fen: int | None) -> str:
    """Amounts in 万元, the unit officers read: ``1234560000`` → ``1,234.56``."""
    if fen is None:
        return ""
    return f"{Decimal(fen) / 1_000_000:,.2f}"


def local_time(dt: datetime | None) -> str:
    return format_local(dt) if dt is not None else ""


def make_templates(dirs: Sequence[Path]) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in dirs]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates ship inside the package and change only with a release; checking each
        # file's modification time on every page was a tenth of the template work (restart the
        # server to see an edited template).
        auto_reload=False,
    )
    env.filters.update(yuan=fen_to_yuan, wan=fen_to_wan, local=local_time, change=changelog.describe)
    env.globals.update(can=can, csrf_token=csrf_token, field_label=field_label, option_tags=option_tags)
    return Jinja2Templates(env=env)


def render(
    request: Request, template: str, actor: Actor | None, status: int = 200, **context: Any
) -> Response:
    """Render a page with the actor and request in its context."""
    templates = state_of(request).templates
    return templates.TemplateResponse(request, template, {"actor": actor, **context}, status_code=status)
