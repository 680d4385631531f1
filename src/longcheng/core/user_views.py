"""User administration: the list of users, creating one, issuing an API token (admins only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from longcheng.core import users
from longcheng.core.actors import ROLE_LABELS
from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render

router = APIRouter()


def _user_json(u: users.User) -> dict[str, Any]:
    return {
        "id": u.id,
        "username": u.username,
        "display_name": u.display_name,
        "role": u.role,
        "org_uscc": u.org_uscc,
        "district": u.district,
        "is_active": u.is_active,
    }


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    rows = users.list_users(session, actor=actor)
    return render(request, "users.html", actor, users=rows, roles=ROLE_LABELS, errors={}, token=None)


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
            roles=ROLE_LABELS,
            errors=exc.details,
            token=None,
        )
    rows = users.list_users(session, actor=actor)
    return render(request, "users.html", actor, users=rows, roles=ROLE_LABELS, errors={}, token=None)


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
    return render(request, "users.html", actor, users=rows, roles=ROLE_LABELS, errors={}, token=token)


@router.get("/api/v1/users", tags=["users 用户"])
def users_api(session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [_user_json(u) for u in users.list_users(session, actor=actor)]


@router.post("/api/v1/users", status_code=201, tags=["users 用户"])
def users_create_api(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
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
