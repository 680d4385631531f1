"""Who may do what in the registry, and which organisations a user can see."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import ALL_ROLES, can, define
from longcheng.registry.models import Organisation

ORG_READ = define("registry.org.read", *ALL_ROLES)
ORG_CREATE = define("registry.org.create", Role.admin, Role.officer)
ORG_UPDATE = define("registry.org.update", Role.admin, Role.officer)
ORG_IMPORT = define("registry.org.import", Role.admin, Role.officer)
ORG_EXPORT = define("registry.org.export", Role.admin, Role.officer, Role.auditor)
ORG_HISTORY = define("registry.org.history", Role.admin, Role.officer, Role.auditor, Role.enterprise)


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The one scope filter for organisation queries: own firm, own district, or everything."""
    if actor.role is Role.enterprise:
        return Organisation.uscc == actor.org_uscc if actor.org_uscc else false()
    if actor.role is Role.officer and actor.district is not None:
        return Organisation.district == actor.district
    return true()


def scope_key(actor: Actor) -> tuple[str, str | None]:
    """Which :func:`visible_to` scope the actor has, as a key: users with the same see the same."""
    if actor.role is Role.enterprise:
        return ("org", actor.org_uscc)
    if actor.role is Role.officer and actor.district is not None:
        return ("district", actor.district)
    return ("all", None)


def can_create(actor: Actor) -> bool:
    return can(actor, ORG_CREATE)


def can_update(actor: Actor, org: Organisation) -> bool:
    return can(actor, ORG_UPDATE, org)
