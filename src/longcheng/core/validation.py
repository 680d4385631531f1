"""Turn pydantic validation errors into one :class:`ValidationFailed` with Chinese messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from longcheng.core.bounds import RANGE_ERROR, out_of_range
from longcheng.core.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "必填项不能为空",
    "string_too_short": "不能为空",
    "string_too_long": "内容过长",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "bool_parsing": "应为“是”或“否”",
    "extra_forbidden": "不认识的字段",
}


def message_for(err: Mapping[str, Any]) -> str:
    """The Chinese message of one pydantic error; our own validators already speak Chinese."""
    if err["type"] == RANGE_ERROR:
        return str(err["msg"])
    if err["type"] == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"])).removeprefix("Value error, ")
    return _MESSAGES.get(str(err["type"]), "格式不正确")


def chinese_errors(exc: ValidationError) -> dict[str, str]:
    """``{field: message}`` for every field that failed."""
    out: dict[str, str] = {}
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "_"
        out.setdefault(field, message_for(err))
    return out


def validate(model: type[M], data: Mapping[str, Any], *, code: str = "validation") -> M:
    """Validate ``data`` against ``model`` or raise :class:`ValidationFailed` listing every field."""
    try:
        obj = model.model_validate(dict(data))
    except ValidationError as exc:
        details = chinese_errors(exc)
    else:
        problems = out_of_range(obj)
        if not problems:
            return obj
        details = {".".join(str(p) for p in e["loc"]) or "_": message_for(e) for e in problems}
    summary = "；".join(f"{k}：{v}" for k, v in details.items())
    raise ValidationFailed(f"输入有误：{summary}", code=code, details=details)
