"""The firm's projects as a section of its file (一企一档), for ``core.hooks.profile_sections``."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import can
from longcheng.core.hooks import ProfileRow, ProfileSection
from longcheng.projects import permissions as perm
from longcheng.projects.models import Project, ProjectInvestor
from longcheng.projects.schedule.progress import amount_text

ROWS = 10


def profile_section(session: Session, actor: Actor, uscc: str) -> ProfileSection | None:
    """The projects the firm invests in that ``actor`` may see (an enterprise user: its own firm's)."""
    if not can(actor, perm.PROJECT_READ):
        return None
    invested = select(ProjectInvestor.project_id).where(ProjectInvestor.uscc == uscc)
    scope = (Project.id.in_(invested), perm.visible_to(actor))
    total = session.scalar(select(func.count(Project.id)).where(*scope)) or 0
    projects = session.scalars(select(Project).where(*scope).order_by(Project.code.desc()).limit(ROWS))
    rows = tuple(
        ProfileRow(
            (p.code, p.name, p.stage_enum.label, amount_text(p.total_investment_fen)), f"/projects/{p.code}"
        )
        for p in projects
    )
    name = session.scalar(select(ProjectInvestor.name).where(ProjectInvestor.uscc == uscc).limit(1))
    return ProfileSection(
        title="重大项目",
        columns=("项目编号", "项目名称", "阶段", "总投资"),
        rows=rows,
        link=f"/projects?q={quote(name)}" if rows and name else None,
        empty="该机构暂无作为投资方的项目。",
        total=total,
    )
