"""Permissions: one function, :func:`can`, decides every action on every resource.

Modules declare their actions once (``define("registry.org.update", Role.admin, Role.officer)``)
in their ``permissions.py``; routes call :func:`require`. Scoping is by resource: a resource
exposes ``scope_uscc`` (the owning enterprise) and ``scope_district``; an enterprise user acts
only on its own USCC, a district officer only inside its district (``district=None`` is
city-wide). Reviewers see only what is assigned to them (``scope_reviewer_ids``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeGuard, TypeVar, runtime_checkable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from longcheng.core.actors import Actor, Role
from longcheng.core.errors import NotAuthenticated, NotFound, PermissionDenied

_RULES: dict[str, frozenset[Role]] = {}
_HASHER = PasswordHasher()

ALL_ROLES = tuple(Role)
STAFF = (Role.admin, Role.officer, Role.reviewer, Role.auditor)


@runtime_checkable
class Scoped(Protocol):
    """A resource that says whose it is."""

    @property
    def scope_uscc(self) -> str | None: ...

    @property
    def scope_district(self) -> str | None: ...


@dataclass(frozen=True)
class Proposed:
    """A resource not stored yet, so scope rules can judge where it would go."""

    scope_uscc: str | None
    scope_district: str | None


def define(action: str, *roles: Role) -> str:
    """Declare which roles may perform ``action``; returns the action name for use as a constant."""
    if action in _RULES and _RULES[action] != frozenset(roles):
        raise ValueError(f"action {action!r} defined twice with different roles")
    _RULES[action] = frozenset(roles)
    return action


def defined_actions() -> dict[str, frozenset[Role]]:
    return dict(_RULES)


def _in_scope(actor: Actor, resource: object) -> bool:
    if not _limited(actor):
        return True  # before the protocol check: ``isinstance`` reads each of its properties
    if not _is_scoped(resource):
        return actor.role is not Role.enterprise
    if actor.role is Role.enterprise:
        return actor.org_uscc is not None and resource.scope_uscc == actor.org_uscc
    if actor.role is Role.officer and actor.district is not None:
        return resource.scope_district == actor.district
    if actor.role is Role.reviewer:
        assigned = getattr(resource, "scope_reviewer_ids", None)
        return assigned is None or actor.id in assigned
    return True


_SCOPED_TYPES: dict[type, bool] = {}  # per class: its own properties make it ``Scoped``


def _is_scoped(resource: object) -> TypeGuard[Scoped]:
    """``isinstance(resource, Scoped)``, answered from the class when its properties say so (a
    protocol check reads every property of the instance: 80 µs for twenty list rows)."""
    cls = type(resource)
    by_class = _SCOPED_TYPES.get(cls)
    if by_class is None:
        by_class = _SCOPED_TYPES[cls] = all(hasattr(cls, n) for n in ("scope_uscc", "scope_district"))
    return by_class or isinstance(resource, Scoped)


def _limited(actor: Actor) -> bool:
    """Whether the actor's scope can leave out a resource (see :func:`_in_scope`)."""
    role = actor.role
    if role is Role.officer:
        return actor.district is not None
    return role is Role.enterprise or role is Role.reviewer


def can(actor: Actor | None, action: str, resource: object | None = None) -> bool:
    """True when ``actor`` may perform ``action`` (on ``resource`` when one is given)."""
    if actor is None:
        return False
    roles = _RULES.get(action)
    if roles is None:
        raise KeyError(f"undefined action {action!r}")
    if actor.role not in roles:
        return False
    if resource is None:
        return True
    return _in_scope(actor, resource)


def require(actor: Actor | None, action: str, resource: object | None = None) -> Actor:
    """Raise 401 for anonymous callers and 403 when :func:`can` says no; return the actor."""
    if actor is None:
        raise NotAuthenticated()
    if not can(actor, action, resource):
        raise PermissionDenied()
    return actor


T = TypeVar("T")


def require_visible(actor: Actor | None, action: str, resource: T | None, missing: NotFound) -> T:
    """The ``resource`` if the actor may ``action`` it; an unknown one and one outside the
    actor's scope answer alike.

    A role that may never do ``action`` gets 403 whatever it asks for; any other actor gets the
    same ``missing`` 404 for a resource that does not exist and for one it may not see, so
    the answer does not tell a foreign firm's code (or a project, fact, message) from a wrong one.
    """
    require(actor, action)
    if resource is None or not can(actor, action, resource):
        raise missing
    return resource


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


AUDIT_READ = define("audit.read", Role.admin, Role.auditor)
USERS_MANAGE = define("users.manage", Role.admin)
COLLEAGUES = define("users.colleagues", Role.enterprise)
DASHBOARD_VIEW = define("dashboard.view", *ALL_ROLES)
