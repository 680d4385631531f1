"""User administration (admins): list, create, tokens, deactivate; and each user's own account page.

The account page (我的账户) lists one's login sessions and API tokens, ends or revokes them,
and changes the password; an admin's user page does the same for anyone and stops or restarts
the user. The JSON API offers the same actions under ``/api/v1/users`` and ``/api/v1/account``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from starlette.responses import Response

from longcheng.core import colleagues, hooks, logins, users
from longcheng.core.actors import ROLE_LABELS, Role
from longcheng.core.auth import COLLEAGUES, USERS_MANAGE, can, defined_actions, require
from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, current_login
from longcheng.core.templating import render

router = APIRouter()


class UserRead(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    org_uscc: str | None
    district: str | None
    is_active: bool


class TokenRead(BaseModel):
    """An API token's record (the secret itself is shown once, at creation)."""

    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


class LoginRead(BaseModel):
    """One server-side login session."""

    id: int
    ip: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    end_reason: str | None


def _user_json(u: users.User) -> UserRead:
    return UserRead(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        role=u.role,
        org_uscc=u.org_uscc,
        district=u.district,
        is_active=u.is_active,
    )


def _form_choices() -> dict[str, Any]:
    """The new-user form's choices: roles with the least-privileged one preselected, and the
    districts of the gazetteer (no free text)."""
    return {"roles": ROLE_LABELS, "default_role": least_privileged_role(), "districts": hooks.districts()}


def least_privileged_role() -> Role:
    """The role allowed the fewest actions (ties go to the later role in the list)."""
    actions = defined_actions().values()
    return min(reversed(list(Role)), key=lambda role: sum(role in roles for roles in actions))


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    rows = users.list_users(session, actor=actor)
    return render(request, "users.html", actor, users=rows, **_form_choices(), errors={}, token=None)


@router.post("/admin/users", include_in_schema=False)
def users_create_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    org_uscc: Annotated[str, Form()] = "",
    district: Annotated[str, Form()] = "",
) -> Response:
    try:
        users.create(
            session,
            actor=actor,
            username=username.strip(),
            password=password,
            role=role,
            display_name=display_name.strip(),
            org_uscc=org_uscc.strip() or None,
            district=district.strip() or None,
        )
    except ValidationFailed as exc:
        rows = users.list_users(session, actor=actor)
        return render(
            request,
            "users.html",
            actor,
            status=422,
            users=rows,
            **_form_choices(),
            errors=exc.details,
            token=None,
        )
    rows = users.list_users(session, actor=actor)
    return render(request, "users.html", actor, users=rows, **_form_choices(), errors={}, token=None)


@router.post("/admin/users/{user_id}/token", include_in_schema=False)
def users_token_page(
    request: Request,
    user_id: int,
    session: DbSession,
    actor: CurrentActor,
    name: Annotated[str, Form()] = "web",
) -> Response:
    token = users.create_token(session, actor=actor, user_id=user_id, name=name)
    rows = users.list_users(session, actor=actor)
    return render(request, "users.html", actor, users=rows, **_form_choices(), errors={}, token=token)


@router.get("/api/v1/users", tags=["users 用户"])
def users_api(session: DbSession, actor: CurrentActor) -> list[UserRead]:
    return [_user_json(u) for u in users.list_users(session, actor=actor)]


@router.post("/api/v1/users", status_code=201, tags=["users 用户"])
def users_create_api(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> UserRead:
    user = users.create(
        session,
        actor=actor,
        username=str(body.get("username", "")),
        password=str(body.get("password", "")),
        role=str(body.get("role", "")),
        display_name=str(body.get("display_name", "")),
        org_uscc=body.get("org_uscc"),
        district=body.get("district"),
    )
    return _user_json(user)


class ReasonIn(BaseModel):
    """Why an admin stops or restarts a user (kept in the audit trail)."""

    reason: str = Field(default="", max_length=500)


def _token_json(t: users.ApiToken) -> TokenRead:
    return TokenRead(id=t.id, name=t.name, created_at=t.created_at, revoked_at=t.revoked_at)


def _login_json(s: logins.LoginSession) -> LoginRead:
    return LoginRead(
        id=s.id,
        ip=s.ip,
        user_agent=s.user_agent,
        created_at=s.created_at,
        last_seen_at=s.last_seen_at,
        expires_at=s.expires_at,
        ended_at=s.ended_at,
        end_reason=s.end_reason or None,
    )


# --- the user's own account -------------------------------------------------------------


def _account_page(
    request: Request, session: DbSession, actor: CurrentActor, status: int = 200, **extra: Any
) -> Response:
    assert actor.id is not None
    current = current_login(request, session)
    return render(
        request,
        "account.html",
        actor,
        status=status,
        logins=logins.list_for_user(session, actor=actor, user_id=actor.id),
        tokens=users.list_tokens(session, actor=actor, user_id=actor.id),
        current_id=current.id if current else None,
        errors=extra.pop("errors", {}),
        notice=extra.pop("notice", ""),
        colleagues=colleagues.list_for(session, actor=actor) if can(actor, COLLEAGUES) else None,
        invite_errors=extra.pop("invite_errors", {}),
        invite=extra.pop("invite", {}),
    )


@router.get("/account", include_in_schema=False)
def account_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return _account_page(request, session, actor)


@router.post("/account/password", include_in_schema=False)
def account_password(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
) -> Response:
    assert actor.id is not None
    current = current_login(request, session)
    try:
        users.change_password(
            session,
            actor=actor,
            user_id=actor.id,
            current_password=current_password,
            new_password=new_password,
            keep_login=current.id if current else None,
        )
    except ValidationFailed as exc:
        return _account_page(request, session, actor, status=422, errors=exc.details)
    return _account_page(request, session, actor, notice="密码已修改，其他设备上的登录已全部结束。")


@router.post("/account/colleagues", include_in_schema=False)
def account_invite(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """An enterprise user adds a colleague who may act for the firm (经办人)."""
    try:
        user = colleagues.invite(
            session, actor=actor, username=username, display_name=display_name, password=password
        )
    except ValidationFailed as exc:
        typed = {"username": username, "display_name": display_name}
        return _account_page(request, session, actor, status=422, invite_errors=exc.details, invite=typed)
    notice = (
        f"已添加经办人“{user.display_name}”（用户名 {user.username}），请将初始密码当面交给本人，登录后修改。"
    )
    return _account_page(request, session, actor, notice=notice)


@router.post("/account/colleagues/{user_id}/stop", include_in_schema=False)
def account_stop_colleague(
    request: Request, user_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    user = colleagues.stop(session, actor=actor, user_id=user_id)
    return _account_page(
        request, session, actor, notice=f"已停用经办人“{user.display_name}”的账户，其登录已全部结束。"
    )


@router.post("/account/sessions/{login_id}/end", include_in_schema=False)
def account_end_session(login_id: int, session: DbSession, actor: CurrentActor) -> Response:
    logins.end(session, actor=actor, login_id=login_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def account_revoke_token(token_id: int, session: DbSession, actor: CurrentActor) -> Response:
    assert actor.id is not None
    users.revoke_token(session, actor=actor, user_id=actor.id, token_id=token_id)
    return RedirectResponse("/account", status_code=303)


@router.get("/api/v1/account/sessions", tags=["users 用户"])
def account_sessions_api(session: DbSession, actor: CurrentActor) -> list[LoginRead]:
    assert actor.id is not None
    return [_login_json(s) for s in logins.list_for_user(session, actor=actor, user_id=actor.id)]


@router.post("/api/v1/account/sessions/{login_id}/end", tags=["users 用户"])
def account_end_session_api(login_id: int, session: DbSession, actor: CurrentActor) -> LoginRead:
    return _login_json(logins.end(session, actor=actor, login_id=login_id))


# --- admins: one user ---------------------------------------------------------------------


@router.get("/admin/users/{user_id}", include_in_schema=False)
def user_page(request: Request, user_id: int, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, USERS_MANAGE)  # one's own sessions and tokens are on /account
    user = users.get(session, actor=actor, user_id=user_id)
    return render(
        request,
        "user_detail.html",
        actor,
        user=user,
        **_form_choices(),
        tokens=users.list_tokens(session, actor=actor, user_id=user_id),
        logins=logins.list_for_user(session, actor=actor, user_id=user_id),
    )


@router.post("/admin/users/{user_id}/deactivate", include_in_schema=False)
def user_deactivate_page(
    user_id: int, session: DbSession, actor: CurrentActor, reason: Annotated[str, Form()] = ""
) -> Response:
    users.deactivate(session, actor=actor, user_id=user_id, reason=reason.strip())
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/reactivate", include_in_schema=False)
def user_reactivate_page(
    user_id: int, session: DbSession, actor: CurrentActor, reason: Annotated[str, Form()] = ""
) -> Response:
    users.reactivate(session, actor=actor, user_id=user_id, reason=reason.strip())
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/tokens/{token_id}/revoke", include_in_schema=False)
def user_revoke_token_page(user_id: int, token_id: int, session: DbSession, actor: CurrentActor) -> Response:
    users.revoke_token(session, actor=actor, user_id=user_id, token_id=token_id)
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/sessions/{login_id}/end", include_in_schema=False)
def user_end_session_page(user_id: int, login_id: int, session: DbSession, actor: CurrentActor) -> Response:
    users.get(session, actor=actor, user_id=user_id)
    logins.end(session, actor=actor, login_id=login_id)
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.get("/api/v1/users/{user_id}/tokens", tags=["users 用户"])
def user_tokens_api(user_id: int, session: DbSession, actor: CurrentActor) -> list[TokenRead]:
    return [_token_json(t) for t in users.list_tokens(session, actor=actor, user_id=user_id)]


@router.post("/api/v1/users/{user_id}/tokens/{token_id}/revoke", tags=["users 用户"])
def user_revoke_token_api(user_id: int, token_id: int, session: DbSession, actor: CurrentActor) -> TokenRead:
    return _token_json(users.revoke_token(session, actor=actor, user_id=user_id, token_id=token_id))


@router.post("/api/v1/users/{user_id}/deactivate", tags=["users 用户"])
def user_deactivate_api(user_id: int, body: ReasonIn, session: DbSession, actor: CurrentActor) -> UserRead:
    return _user_json(users.deactivate(session, actor=actor, user_id=user_id, reason=body.reason))


@router.post("/api/v1/users/{user_id}/reactivate", tags=["users 用户"])
def user_reactivate_api(user_id: int, body: ReasonIn, session: DbSession, actor: CurrentActor) -> UserRead:
    return _user_json(users.reactivate(session, actor=actor, user_id=user_id, reason=body.reason))
