"""Limits every number, date and text from a request obeys, whatever route or form it reaches.

Python integers have no size, but the databases store 64-bit ones, and a page number becomes
an offset (``page × page_size``) and an amount in 万元 becomes fen (× 1,000,000) before it gets
there. So an integer, a decimal or a date that passed its own schema is checked once more here:

* integers stay within ±(2⁵³ − 1), the range a JSON client reads exactly; it leaves room for
  ``page × 200`` and for fen amounts far beyond any real one in 64 bits;
* floats and decimals are finite and within ±10¹² (an amount in 万元 still fits in fen);
* a field named ``year`` (or ``*_year``, ``year_*``) and every date lie in 1900–2100;
* text holds no NUL character (PostgreSQL cannot store one).

:func:`bound_routes` applies the check to every parameter of every route of the app (path,
query, header, cookie, form and body, nested models and lists included), so a module added
later is covered without doing anything; :func:`longcheng.core.validation.validate` applies it
to the forms pages parse themselves. An out-of-range value is a 422 with a Chinese message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel

INT_MAX = 2**53 - 1
NUMBER_MAX = Decimal(10**12)
YEAR_MIN, YEAR_MAX = 1900, 2100
RANGE_ERROR = "longcheng_range"
Loc = tuple[int | str, ...]
Problem = dict[str, Any]


def _problem(loc: Loc, value: object, message: str) -> Problem:
    """One error in pydantic's shape, so FastAPI reports it with the others."""
    return {"type": RANGE_ERROR, "loc": loc, "msg": message, "input": value, "ctx": {}}


def _is_year(loc: Loc) -> bool:
    name = str(loc[-1]).lower() if loc else ""
    return name == "year" or name.endswith("_year") or name.startswith("year_")


def _scalar_problem(value: object, loc: Loc) -> str | None:
    """The Chinese reason a single value is out of range, or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if _is_year(loc) and not YEAR_MIN <= value <= YEAR_MAX:
            return f"年份应在 {YEAR_MIN} 至 {YEAR_MAX} 之间"
        if abs(value) > INT_MAX:
            return f"数值超出允许范围（绝对值不能超过 {INT_MAX}）"
        return None
    if isinstance(value, float | Decimal):
        finite = math.isfinite(value) if isinstance(value, float) else value.is_finite()
        if not finite:
            return "应为有限的数字"
        if abs(Decimal(value)) > NUMBER_MAX:
            return f"数值超出允许范围（绝对值不能超过 {NUMBER_MAX:,}）"
        return None
    if isinstance(value, date) and not YEAR_MIN <= value.year <= YEAR_MAX:
        return f"日期应在 {YEAR_MIN} 年至 {YEAR_MAX} 年之间"
    return None


def _children(value: object) -> Iterator[tuple[int | str, object]]:
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield info.alias or name, getattr(value, name, None)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key), item
    elif isinstance(value, list | tuple | set | frozenset):
        yield from enumerate(value)


def out_of_range(value: object, loc: Loc = ()) -> list[Problem]:
    """Every number or date inside ``value`` that is out of range, with its location."""
    if isinstance(value, str):
        return [_problem(loc, value, "不能包含空字符（NUL）")] if "\x00" in value else []
    if isinstance(value, bytes):
        return []
    reason = _scalar_problem(value, loc)
    if reason is not None:
        return [_problem(loc, value, reason)]
    problems: list[Problem] = []
    for key, child in _children(value):
        problems.extend(out_of_range(child, (*loc, key)))
    return problems


Validate = Callable[..., tuple[Any, list[Any]]]


def _bounded(original: Validate) -> Validate:
    def validate(value: Any, values: dict[str, Any] | None = None, *, loc: Loc = ()) -> tuple[Any, list[Any]]:
        result, errors = original(value, values if values is not None else {}, loc=loc)
        if errors:
            return result, errors
        problems = out_of_range(result, loc)
        return (None, problems) if problems else (result, errors)

    return validate


def _fields(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.path_params
    yield from dependant.query_params
    yield from dependant.header_params
    yield from dependant.cookie_params
    yield from dependant.body_params
    for sub in dependant.dependencies:
        yield from _fields(sub)


def bound_dependant(dependant: Dependant) -> None:
    """Check every parameter of a route (and of its dependencies) after its own validation."""
    for field in _fields(dependant):
        if not getattr(field, "longcheng_bounded", False):
            field.validate = _bounded(field.validate)
            field.longcheng_bounded = True


def route_dependants(app: FastAPI) -> Iterator[Dependant]:
    """The dependant each route is served with (an included router's route gets its own)."""
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        if isinstance(dependant, Dependant):
            yield dependant


def bound_routes(app: FastAPI) -> None:
    """Apply :func:`bound_dependant` to every route of the app: call it once the routers are in."""
    for dependant in route_dependants(app):
        bound_dependant(dependant)
