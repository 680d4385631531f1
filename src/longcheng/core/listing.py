"""The shared shape of list pages: filters kept in every link, paging, HTMX partials, XLSX export.

How to write a list page
------------------------
A list page is a filter schema (pydantic, blank fields read as "not given"), one service
function that returns a :class:`~longcheng.core.paging.Page`, two templates — the page, and
the ``_table.html`` that HTMX swaps into ``#results`` — and two short routes::

    ThingFilterDep = Annotated[ThingFilter, Depends(query_model(ThingFilter))]

    @router.get("/things")
    def list_page(request: Request, session: DbSession, actor: CurrentActor,
                  filters: ThingFilterDep, paging: Paging) -> Response:
        page = thing_service.list(session, actor=actor, filters=filters,
                                  page=paging.page, page_size=paging.page_size)
        return render_list(request, actor, "things/list.html", "things/_table.html", page, filters)

    @router.get("/things/export.xlsx")
    def export_page(request: Request, session: DbSession, actor: CurrentActor,
                    filters: ThingFilterDep) -> Response:
        rows = thing_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
        return xlsx_response(thing_export.to_xlsx(rows), "things.xlsx")

The templates get ``page``, ``f`` (the filters) and ``listing`` (a :class:`ListQuery`), and
build the rest from the shared macros::

    {# things/list.html #}
    {% from "_filters.html" import filter_form, search_box, select, sort_select %}
    {% call filter_form("/things") %}
      {{ search_box(f.q, "名称") }}
      {{ select("district", "所属区", districts, f.district, value="code", text="name") }}
      {{ sort_select([("name", "名称↑"), ("-name", "名称↓")], f.sort) }}
      <button type="submit">查询</button>
    {% endcall %}
    <div id="results">{% include "things/_table.html" %}</div>

    {# things/_table.html #}
    {% from "_pager.html" import result_count, pager %}
    {% from "_export_link.html" import export_link %}
    <div class="pager">{{ result_count(page) }}{% if can(actor, "things.export") %}
      {{ export_link(listing.link("/things/export.xlsx")) }}{% endif %}</div>
    <table class="grid">…{% for t in page.items %}<tr>…</tr>{% endfor %}…</table>
    {{ pager(page, listing) }}

Links are built from the request's own parameters, never by editing the query string as
text, so filters survive paging and sorting and no ``?&`` or ``&&`` piles up. Forms are in
:mod:`longcheng.core.forms`.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from markupsafe import Markup
from sqlalchemy import ScalarSelect
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core import totals
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.core.exporting import XLSX_MEDIA_TYPE
from longcheng.core.http import state_of
from longcheng.core.paging import Page
from longcheng.core.templating import render

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ListQuery:
    """The list's address and its query parameters, to build links that keep the filters."""

    path: str
    params: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, request: Request) -> ListQuery:
        return cls(request.url.path, tuple(request.query_params.multi_items()))

    def query(self, **changes: object) -> str:
        """The query string with ``changes`` applied: a value replaces the key (moved to the
        end), ``None`` removes it; every other parameter stays as it came, blanks included."""
        kept = [(k, v) for k, v in self.params if k not in changes]
        kept += [(k, str(v)) for k, v in changes.items() if v is not None]
        return urlencode(kept)

    def url(self, **changes: object) -> str:
        """This list again with ``changes``: ``url(page=3)``, ``url(sort="-name", page=None)``."""
        return _with_query(self.path, self.query(**changes))

    def link(self, path: str, **changes: object) -> str:
        """Another address with the same filters and no page, e.g. the export of what is shown."""
        return _with_query(path, self.query(**{"page": None, **changes}))


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


M = TypeVar("M")


def query_model(model: Callable[..., M]) -> Callable[..., Awaitable[M]]:
    """A dependency that builds ``model`` (a filter schema) from the query string in the event
    loop: ``Annotated[ThingFilter, Depends(query_model(ThingFilter))]``.

    ``Depends(ThingFilter)`` asks for the same parameters, but FastAPI calls a class in the
    thread pool, a trip that costs more than building the filter.
    """

    async def parse(**values: Any) -> M:
        return model(**values)

    parse.__signature__ = inspect.signature(model, eval_str=True)  # type: ignore[attr-defined]
    parse.__name__ = f"{getattr(model, '__name__', 'model')}_from_query"
    return parse


@dataclass(frozen=True)
class PageArgs:
    """``?page=`` and ``?page_size=`` of a list page (the service clamps them)."""

    page: int = 1
    page_size: int = 20


Paging = Annotated[PageArgs, Depends(query_model(PageArgs))]


def wants_partial(request: Request) -> bool:
    """HTMX asks for the results only; a history restore (back button after a cache miss)
    asks through HTMX too but needs the whole page."""
    htmx = bool(request.headers.get("hx-request"))
    return htmx and not request.headers.get("hx-history-restore-request")


def render_list(
    request: Request,
    actor: Actor | None,
    template: str,
    partial: str,
    page: Page[Any],
    filters: object,
    **context: Any,
) -> Response:
    """The list page, or only its ``partial`` for HTMX, with ``page``, ``f`` and ``listing``."""
    chosen = partial if wants_partial(request) else template
    return render(request, chosen, actor, page=page, f=filters, listing=ListQuery.of(request), **context)


def kept_rows(
    request: Request,
    session: Session,
    template: str,
    page: Page[Any],
    load: Callable[[Sequence[Any]], Sequence[Any]],
    *,
    stamps: Sequence[ScalarSelect[Any]] = (),
    **context: Any,
) -> Markup:
    """The table rows of a list page (``template`` rendered with ``rows``), kept per page.

    ``page`` holds the page's ids (``totals.kept_keys``); ``load`` reads their rows, only when
    the rows of these ids are not kept yet. The HTML is kept like a total (``totals.kept``): under
    the audit head and ``stamps``, so any change to the data draws it again, and per day (a tag
    or a deadline may lapse overnight). Drawing twenty rows was a third of the registry page's
    work. ``template`` and ``context`` must not depend on who asks (no ``actor``, no
    ``request``): the same rows are shown to everyone whose scope holds these ids. The kept
    rows of all lists together are bounded in size (``totals.MAX_TEXT_BYTES``).
    """
    key = ("listing.rows", template, tuple(page.items), local_today())

    def draw() -> Markup:
        rows = load(page.items) if page.items else []
        html = state_of(request).templates.get_template(template).render(rows=rows, **context)
        return Markup(html)  # the template autoescapes what it puts in

    return totals.kept(session, key, draw, stamps=stamps, size=sys.getsizeof)


def export_limit(request: Request) -> int:
    """The most rows one export may hold (``Settings.export_max_rows``)."""
    return state_of(request).settings.export_max_rows


def safe_filename(name: str, default: str = "export") -> str:
    """``name`` without any folder, reduced to letters, digits, ``.``, ``_`` and ``-``."""
    base = _basename(name)
    stem, _, suffix = base.rpartition(".") if "." in base else (base, "", "")
    stem = _UNSAFE.sub("_", stem).strip("._-") or default
    suffix = _UNSAFE.sub("", suffix)
    return f"{stem}.{suffix}" if suffix else stem


def content_disposition(filename: str) -> str:
    """``attachment; filename=…`` that no quote, newline or folder in ``filename`` can break.

    A name that is not already safe keeps its own spelling (Chinese included) in
    ``filename*`` (RFC 6266) beside a safe ASCII fallback.
    """
    base = _basename(filename)
    safe = safe_filename(base)
    if safe == base:
        return f"attachment; filename={safe}"
    return f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(base, safe='')}"


def _basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def xlsx_response(content: bytes, filename: str) -> Response:
    """A finished workbook as a download."""
    return Response(
        content, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": content_disposition(filename)}
    )
