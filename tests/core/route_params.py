"""The numeric and date parameters of every route of the real app, to probe with bad values."""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import FastAPI, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel


@dataclass(frozen=True)
class Probe:
    """One parameter of one route: where it goes (path/query/form) and the kind of value."""

    method: str
    path: str
    where: str
    name: str
    kind: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.where}.{self.name}"


def _kind(annotation: Any) -> str | None:
    if get_origin(annotation) is Annotated:
        return _kind(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = {_kind(a) for a in get_args(annotation) if a is not type(None)}
        kinds.discard(None)
        return kinds.pop() if len(kinds) == 1 else None
    if annotation is bool:
        return None
    if annotation is int:
        return "int"
    if annotation in (float, Decimal):
        return "number"
    if annotation is date:
        return "date"
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is Annotated:
        return _model(get_args(annotation)[0])
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _fields(dependant: Dependant) -> list[tuple[str, str, Any]]:
    out: list[tuple[str, str, Any]] = []
    for where, fields in (("path", dependant.path_params), ("query", dependant.query_params)):
        for f in fields:
            model = _model(f.field_info.annotation)
            if model is not None:
                out.extend((where, n, i.annotation) for n, i in model.model_fields.items())
            else:
                out.append((where, f.alias, f.field_info.annotation))
    for f in dependant.body_params:
        if isinstance(f.field_info, params.Form):
            out.append(("form", f.alias, f.field_info.annotation))
    for sub in dependant.dependencies:
        out.extend(_fields(sub))
    return out


def probes(app: FastAPI) -> list[Probe]:
    """Every (route, numeric or date parameter) pair of the app."""
    found: list[Probe] = []
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        for where, name, annotation in _fields(route.dependant):
            kind = _kind(annotation)
            if kind is None:
                continue
            if name == "year" or name.endswith("_year"):
                kind = "year"
            for method in sorted(route.methods):
                found.append(Probe(method, route.path, where, name, kind))
    return sorted(set(found), key=str)
