"""One error hierarchy for the whole platform.

Every error carries an HTTP status, a stable machine code (``registry.uscc_check_digit``)
and a Chinese message for people. The web layer renders it as JSON under ``/api/`` and as
a page elsewhere; the CLI prints the message and exits non-zero.
"""

from __future__ import annotations

from typing import Any, ClassVar


class LongchengError(Exception):
    """Base error: ``code`` is stable for programs, ``message`` is Chinese for people."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    message: ClassVar[str] = "请求无法完成。"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message_text = message or type(self).message
        self.code_text = code or type(self).code
        self.status_code = status or type(self).status
        self.details = details or {}
        super().__init__(self.message_text)

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of an API error."""
        body: dict[str, Any] = {"code": self.code_text, "message": self.message_text}
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(LongchengError):
    """Input does not pass validation; ``details`` says which field and why."""

    code = "validation"
    status = 422
    message = "输入有误，请检查后重试。"


class NotFound(LongchengError):
    code = "not_found"
    status = 404
    message = "未找到该记录。"


class PermissionDenied(LongchengError):
    code = "forbidden"
    status = 403
    message = "您没有执行此操作的权限。"


class NotAuthenticated(LongchengError):
    code = "unauthenticated"
    status = 401
    message = "请先登录。"


class Conflict(LongchengError):
    """A concurrent edit or a duplicate: nothing was written."""

    code = "conflict"
    status = 409
    message = "数据已被他人修改或已存在，请刷新后重试。"


class TooManyRequests(LongchengError):
    code = "rate_limited"
    status = 429
    message = "操作过于频繁，请稍后再试。"


class PayloadTooLarge(LongchengError):
    code = "payload_too_large"
    status = 413
    message = "上传文件过大。"


class ServiceBusy(LongchengError):
    """The database stayed locked by another write past the wait: try again shortly (503)."""

    code = "db.busy"
    status = 503
    message = "系统正忙：数据正被其他操作写入，本次操作未作任何修改，请稍后重试。"
    retry_after = 5
