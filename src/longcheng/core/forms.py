"""HTML forms: read what was typed, and show a refused form again as typed, with the reasons.

A form page is one template that takes ``values`` (what the fields show), ``errors``
(``{field: Chinese message}``, from :func:`longcheng.core.validation.validate`) and
``message`` (the reason on top), and two routes::

    @router.get("/things/new")
    def new_page(request: Request, actor: CurrentActor) -> Response:
        return render_form(request, actor, "things/form.html", **choices())

    @router.post("/things/new")
    async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
        values = form_values(await request.form(), THING_FIELDS)
        try:
            thing = thing_service.create(session, actor=actor, data=validate(ThingCreate, values))
        except ValidationFailed as exc:
            return render_refused(request, session, actor, "things/form.html", exc,
                                  values=values, **choices())
        return RedirectResponse(f"/things/{thing.id}", status_code=303)

In the template, ``{% from "_form.html" import form_message, field_error %}`` then
``{{ form_message(message) }}`` above the fields and ``{{ field_error(errors, "name") }}``
under each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.errors import LongchengError
from longcheng.core.templating import render


def form_values(form: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The submitted ``keys`` that were filled in; a blank field means "not given"."""
    return {k: form.get(k) for k in keys if form.get(k) not in (None, "")}


def render_form(
    request: Request,
    actor: Actor | None,
    template: str,
    *,
    values: Mapping[str, Any] | None = None,
    **context: Any,
) -> Response:
    """A form as first shown: ``values`` to start from, no errors."""
    return render(request, template, actor, values=dict(values or {}), errors={}, message="", **context)


def render_refused(
    request: Request,
    session: Session,
    actor: Actor | None,
    template: str,
    error: LongchengError,
    *,
    values: Mapping[str, Any],
    **context: Any,
) -> Response:
    """Undo whatever the refused attempt wrote, then show the form again as typed, at the
    error's status, with its reason (``message``) and each field's message (``errors``)."""
    return render(request, template, actor, values=values, **refusal(session, error), **context)


def refusal(session: Session, error: LongchengError) -> dict[str, Any]:
    """Undo whatever the refused attempt wrote; the status, reason and field messages to show
    the form again with, for a page whose own form helper adds more to the template."""
    session.rollback()
    return {"status": error.status_code, "errors": error.details, "message": error.message_text}
