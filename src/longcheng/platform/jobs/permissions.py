"""Who may see and steer jobs: everyone their own, admins everyone's."""

from __future__ import annotations

from sqlalchemy import Select, select

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import ALL_ROLES, can, define
from longcheng.platform.jobs.models import Job

JOBS_READ = define("jobs.read", *ALL_ROLES)
JOBS_ALL = define("jobs.all", Role.admin)
JOBS_DEMO = define("jobs.demo", Role.admin)


def visible_to(actor: Actor) -> Select[Job]:
    """The jobs ``actor`` may see: all for admins, else the ones they started."""
    stmt = select(Job)
    if can(actor, JOBS_ALL):
        return stmt
    return stmt.where(Job.started_by == actor.id)


def can_view(actor: Actor, job: Job) -> bool:
    if can(actor, JOBS_ALL):
        return True
    return actor.id is not None and job.started_by == actor.id


def can_steer(actor: Actor, job: Job) -> bool:
    """Cancel, retry and download follow viewing: the starter or an admin."""
    return can_view(actor, job)
