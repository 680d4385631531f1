"""Who may do what with projects, which projects a user sees, and who answers for a project.

*Seeing*: admins, auditors and city-wide officers see every project; a district officer sees
the projects of the district plus those whose leader or task force they belong to; an
enterprise user sees the projects it invests in.

*Answering for a project* (责任人) — needed to change its stage, plan, figures or to reply to
a 督办单: an admin; an officer of the project's district; the project's leader (挂钩领导) or a
member of its task force (专班) with a platform account. A city-wide officer who is none of
these may read, supervise (issue 督办单) and weigh news evidence, but gets 403 on a stage change.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, define, require
from longcheng.core.errors import PermissionDenied
from longcheng.projects.models import Project, ProjectInvestor, ProjectPerson

PROJECT_READ = define("projects.read", Role.admin, Role.officer, Role.auditor, Role.enterprise)
PROJECT_CREATE = define("projects.create", Role.admin, Role.officer)
PROJECT_UPDATE = define("projects.update", Role.admin, Role.officer)
PROJECT_STAGE = define("projects.stage", Role.admin, Role.officer)
PROJECT_CEREMONY = define("projects.ceremony", Role.admin, Role.officer)
PROJECT_IMPORT = define("projects.import", Role.admin, Role.officer)
PROJECT_EXPORT = define("projects.export", Role.admin, Role.officer, Role.auditor)
PROJECT_HISTORY = define("projects.history", Role.admin, Role.officer, Role.auditor)
DASHBOARD = define("projects.dashboard", Role.admin, Role.officer, Role.auditor)
ORDER_ISSUE = define("projects.order.issue", Role.admin, Role.officer)
ORDER_REPLY = define("projects.order.reply", Role.admin, Role.officer)
THRESHOLDS_READ = define("projects.thresholds.read", Role.admin, Role.officer, Role.auditor)
THRESHOLDS_EDIT = define("projects.thresholds.edit", Role.admin, Role.officer)
FX_EDIT = define("projects.fx.edit", Role.admin, Role.officer)
EVIDENCE_PROPOSE = define("projects.evidence.propose", Role.admin, Role.officer)
EVIDENCE_DECIDE = define("projects.evidence.decide", Role.admin, Role.officer)
REPORT = define("projects.report", Role.admin, Role.officer, Role.auditor)

NOT_RESPONSIBLE = "projects.not_responsible"


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The one scope filter for project queries."""
    if actor.role is Role.enterprise:
        if not actor.org_uscc:
            return false()
        return Project.id.in_(
            select(ProjectInvestor.project_id).where(ProjectInvestor.uscc == actor.org_uscc)
        )
    if actor.role is Role.officer and actor.district is not None:
        mine = select(ProjectPerson.project_id).where(ProjectPerson.user_id == actor.id)
        return or_(
            Project.district == actor.district, Project.leader_user_id == actor.id, Project.id.in_(mine)
        )
    if actor.role in (Role.admin, Role.auditor, Role.officer):
        return true()
    return false()


def scope_key(actor: Actor) -> tuple[object, ...]:
    """Which :func:`visible_to` scope the actor has, as a key: users with the same see the same."""
    if actor.role is Role.enterprise:
        return ("org", actor.org_uscc)
    if actor.role is Role.officer and actor.district is not None:
        return ("district", actor.district, actor.id)
    return ("role", actor.role.value)


def is_responsible(actor: Actor, project: Project) -> bool:
    """Admins, the district's officers, the leader and task-force members answer for a project."""
    if actor.role is Role.admin:
        return True
    if actor.id is not None and actor.id in project.responsible_user_ids:
        return True
    return actor.role is Role.officer and actor.district is not None and actor.district == project.district


def require_responsible(actor: Actor | None, action: str, project: Project) -> Actor:
    """403 ``projects.not_responsible`` unless the actor may do ``action`` and answers for ``project``."""
    actor = require(actor, action)
    if not is_responsible(actor, project):
        raise PermissionDenied(
            f"您不是项目“{project.name}”的责任人（属地区工作人员、挂钩领导或专班成员），不能执行此操作。",
            code=NOT_RESPONSIBLE,
        )
    return actor


def can_edit(actor: Actor, project: Project) -> bool:
    return can(actor, PROJECT_UPDATE) and is_responsible(actor, project)


def can_edit_thresholds(actor: Actor) -> bool:
    """City-wide settings: admins and city-wide officers (a district officer cannot change them)."""
    return can(actor, THRESHOLDS_EDIT) and (actor.role is Role.admin or actor.district is None)


def can_supervise(actor: Actor, project: Project) -> bool:
    """督办 comes from the bureau: admins, city-wide officers and officers of the project's district."""
    return can(actor, ORDER_ISSUE) and (actor.district is None or actor.district == project.district)
