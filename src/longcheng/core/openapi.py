"""What the OpenAPI document promises: the one error body and the errors every operation may answer.

Every error the API sends is a :class:`~longcheng.core.errors.LongchengError` rendered as
:class:`ErrorBody` (request validation too: ``web.py`` turns FastAPI's errors into
``ValidationFailed``). :func:`declare_errors` writes that promise onto every JSON operation in
one place, replacing FastAPI's default 422 ``HTTPValidationError``, and keeps the HTML pages
out of the document: they are for browsers, not for client generators.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

API_PREFIX = "/api/"
T = TypeVar("T")


class ErrorBody(BaseModel):
    """The body of every API error."""

    code: str = Field(description="稳定的机器可读错误代码，例如 `validation`、`not_found`。")
    message: str = Field(description="给人看的中文说明。")
    details: dict[str, Any] | None = Field(
        default=None, description="可选的补充信息，例如输入校验失败时每个字段的原因。"
    )


_DESCRIPTIONS = {
    400: "请求无法完成",
    401: "未登录或令牌无效",
    403: "没有权限",
    404: "记录不存在",
    409: "数据冲突：已存在或已被他人修改",
    413: "请求体或上传文件过大",
    422: "输入有误：`details` 列出每个字段的原因",
    429: "请求过于频繁",
    503: "服务暂时不可用（数据库忙或后台服务未就绪），请稍后重试",
}
_ALWAYS = (400, 401, 403, 404, 429, 503)
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
ANY_FILE = "application/octet-stream"


def file_download(media_type: str = XLSX) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route that answers a file (with ``response_class=Response``)."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {200: {"description": "文件内容", "content": content}}


ERROR_REF = "#/components/schemas/ErrorBody"
_UNUSED = ("HTTPValidationError", "ValidationError")


def error_response(status: int) -> dict[str, Any]:
    """One OpenAPI response object: the error body under ``status``."""
    return {
        "description": _DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def statuses_for(method: str, operation: dict[str, Any]) -> tuple[int, ...]:
    """The error statuses an operation may answer, from its method, parameters and body."""
    statuses = list(_ALWAYS)
    writes = method.upper() in _WRITE_METHODS
    if writes:
        statuses += [409, 413]
    if writes or operation.get("parameters") or operation.get("requestBody"):
        statuses.append(422)
    return tuple(sorted(statuses))


def declare_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Keep only the ``/api/`` operations and give each its error responses, as :class:`ErrorBody`.

    FastAPI's default 422 (``HTTPValidationError``) is replaced: the app never sends that shape.
    """
    paths = {p: ops for p, ops in document.get("paths", {}).items() if p.startswith(API_PREFIX)}
    for ops in paths.values():
        for method, operation in ops.items():
            responses = operation.setdefault("responses", {})
            for status in statuses_for(method, operation):
                code = str(status)
                if code == "422" or code not in responses:
                    responses[code] = error_response(status)
    document["paths"] = paths
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _UNUSED:
        schemas.pop(name, None)
    schemas["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    return document


def install(app: FastAPI) -> None:
    """Serve the declared document as ``/openapi.json`` (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` and where it sits in the whole."""

    items: list[T]
    total: int
    page: int
    page_size: int


class StatusRead(BaseModel):
    """The answer of an action that has nothing else to return, e.g. ``{"status": "created"}``."""

    status: str


class AuditEntryRead(BaseModel):
    """One change of a record's 痕迹, raw as the audit trail keeps it."""

    seq: int
    at: str
    actor: str
    action: str
    diff: dict[str, Any]
    reason: str


class RowErrorRead(BaseModel):
    line: int
    column: str
    message: str


class ImportReportRead(BaseModel):
    """What an all-or-nothing import did: rows read and, per refused cell, line, column and reason."""

    ok: bool
    rows: int
    error_count: int
    errors: list[RowErrorRead]


def rows_refused(report: dict[str, Any], *, code: str) -> dict[str, Any]:
    """A refused import's 422 body: the report with the ``code`` and ``message`` of :class:`ErrorBody`."""
    count = report.get("error_count", 0)
    message = f"导入未完成：发现 {count} 处错误，未写入任何数据。请按所列行号和列名修改后重新上传。"
    return report | {"code": code, "message": message}
