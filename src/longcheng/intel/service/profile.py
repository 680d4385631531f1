"""The firm's news facts as a section of its file (一企一档), for ``core.hooks.profile_sections``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import can
from longcheng.core.hooks import ProfileRow, ProfileSection
from longcheng.intel import permissions as perm
from longcheng.intel.schemas import KIND_LABELS, FactFilter
from longcheng.intel.service.facts import list_facts

ROWS = 8


def profile_section(session: Session, actor: Actor, uscc: str) -> ProfileSection | None:
    """News facts linked to the firm, newest first, as the fact table shows them to ``actor``."""
    if not can(actor, perm.FACT_READ):
        return None
    page = list_facts(session, actor=actor, filters=FactFilter(org=uscc), page_size=ROWS)
    rows = tuple(
        ProfileRow(
            (
                f.published.isoformat() if f.published else "日期不详",
                KIND_LABELS.get(f.kind, f.kind),
                f.cue or f.amount_text,
                f.article.title[:40],
            ),
            f"/intel/facts/{f.id}",
        )
        for f in page.items
    )
    return ProfileSection(
        title="新闻动态",
        columns=("发布日期", "类别", "报道内容", "来源文章"),
        rows=rows,
        link=f"/intel/facts?org={uscc}" if rows else None,
        empty="暂无与该机构关联的新闻事实。",
        total=page.total,
    )
