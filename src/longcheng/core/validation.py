"""Turn pydantic validation errors into one :class:`ValidationFailed` with Chinese messages."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError

from longcheng.core.bounds import RANGE_ERROR, out_of_range
from longcheng.core.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)

# Characters that reorder or hide text: a name with them reads differently from what it is.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SPACES = frozenset("\u00a0\u3000")


def _fold(ch: str) -> str:
    """NFKC where it is safe: full-width letters and digits, compatibility ideographs, odd spaces.

    Chinese full-width punctuation (（）、，：) is kept as people write it in names.
    """
    if ch in _SPACES:
        return " "
    folded = unicodedata.normalize("NFKC", ch)
    if "\uff10" <= ch <= "\uff5a" and folded.isascii() and folded.isalnum():
        return folded
    if "\uf900" <= ch <= "\ufaff" or "\U0002f800" <= ch <= "\U0002fa1f":
        return folded
    return ch


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Normalise text people type and refuse what would hide or garble it.

    NFC, then :func:`_fold`; control characters (NUL, line breaks unless ``multiline``),
    direction overrides such as U+202E and zero-width characters are refused with their
    position. Single-line text has its runs of spaces collapsed.
    """
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    text = "".join(_fold(ch) for ch in text)
    for pos, ch in enumerate(text, start=1):
        if multiline and ch in "\n\t":
            continue
        where = f"第 {pos} 个字符 U+{ord(ch):04X}"
        if ch in _BIDI:
            raise ValueError(f"不能包含文字方向控制字符（{where}），它会让文字显示得与实际不同，请删除")
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            raise ValueError(f"不能包含换行、控制字符或不可见字符（{where}），请删除后重试")
    return text.strip() if multiline else " ".join(text.split())


# One line of text a person names things with (organisation names, sources, addresses).
CleanText = Annotated[str, AfterValidator(clean_text)]
# Several lines (notes, reasons): line breaks and tabs allowed, the rest as CleanText.
CleanMultiline = Annotated[str, AfterValidator(lambda v: clean_text(v, multiline=True))]

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


# What a person calls each field. Keys are field names as schemas and routes spell them; a
# module adds its own with :func:`register_labels`. A name not listed is never shown as is.
FIELD_LABELS: dict[str, str] = {
    "page": "页码",
    "page_size": "每页条数",
    "year": "年份",
    "month": "月份",
    "q": "关键词",
    "sort": "排序方式",
    "name": "名称",
    "former_names": "曾用名",
    "uscc": "统一社会信用代码",
    "usccs": "统一社会信用代码",
    "org_uscc": "所属企业",
    "org": "企业",
    "org_type": "机构类型",
    "district": "所属区",
    "park": "所属园区",
    "industry": "行业",
    "established": "成立日期",
    "address": "地址",
    "tag": "企业标签",
    "level": "级别",
    "valid_from": "有效期起",
    "valid_to": "有效期止",
    "certificate_no": "证书编号",
    "source": "数据来源",
    "kind": "类型",
    "value": "数值",
    "currency": "币种",
    "version": "版本号",
    "username": "用户名",
    "password": "密码",
    "display_name": "姓名",
    "role": "角色",
    "file": "文件",
    "files": "文件",
    "title": "标题",
    "summary": "摘要",
    "body": "正文",
    "note": "备注",
    "reason": "原因",
    "status": "状态",
    "stage": "阶段",
    "light": "亮灯状态",
    "code": "编号",
    "codes": "项目编号",
    "list": "清单",
    "lists": "清单",
    "leader": "挂钩领导",
    "leader_name": "挂钩领导",
    "leader_username": "挂钩领导账号",
    "cooperation": "合作机制",
    "project_type": "项目类型",
    "min_wan": "最低金额（万元）",
    "max_wan": "最高金额（万元）",
    "min_amount": "最低金额",
    "total_investment": "总投资",
    "agreed_investment": "协议投资额",
    "investors": "投资方",
    "partner_region": "合作地区",
    "land_mu": "用地面积（亩）",
    "floor_area_m2": "建筑面积（平方米）",
    "expected_output": "预计产值",
    "expected_tax": "预计税收",
    "expected_jobs": "预计就业人数",
    "responsible_unit": "责任单位",
    "task_force": "工作专班",
    "contacts": "联系人",
    "phone": "电话",
    "signed_on": "签约日期",
    "registered_on": "注册日期",
    "started_on": "开工日期",
    "completed_on": "竣工日期",
    "producing_on": "投产日期",
    "at_capacity_on": "达产日期",
    "negotiating_on": "洽谈日期",
    "lead_on": "线索日期",
    "plan_start": "计划开工",
    "on": "日期",
    "done_on": "完成日期",
    "held_on": "举办日期",
    "dates": "日期",
    "date_from": "起始日期",
    "date_to": "截止日期",
    "start": "开始",
    "period": "期间",
    "planned": "计划",
    "completed": "完成",
    "node": "节点",
    "event": "事项",
    "demand": "诉求",
    "subject": "主题",
    "decision": "处理决定",
    "place": "地点",
    "fact_kind": "事实类型",
    "document": "文档",
    "link": "关联",
    "clause": "政策条款",
    "pack": "政策包",
    "inputs": "输入数据",
    "reading": "读数",
    "readings": "读数",
    "notify": "通知",
    "unread": "未读",
    "replace": "替换",
    "cny": "人民币金额",
    "next": "跳转地址",
    "reply_working_days": "答复时限（工作日）",
    "schedule_red_below_pct": "红灯进度阈值（%）",
    "schedule_yellow_below_pct": "黄灯进度阈值（%）",
}
_LOCATIONS = frozenset({"query", "path", "body", "form", "header", "cookie"})


def register_labels(labels: Mapping[str, str]) -> None:
    """Add a module's field labels (Chinese) to those error pages show."""
    FIELD_LABELS.update(labels)


def field_label(path: str) -> str:
    """The Chinese label of an error's field: ``query.page`` → 页码, ``body.items.0.year`` → 年份.

    Identifiers ending in ``_id`` read 编号; a name already in Chinese (an import column) stays;
    an unknown English name reads 输入项, and a whole-form error (``_``) has no label.
    """
    parts = [p for p in path.split(".") if p and p not in _LOCATIONS and not p.isdigit() and p != "_"]
    for part in reversed(parts):
        if part in FIELD_LABELS:
            return FIELD_LABELS[part]
        if not part.isascii():
            return part
        if part.endswith("_id") or part == "id":
            return "编号"
    return "输入项" if parts else ""


def labelled(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(label, message)`` for each field problem, as a page shows them (other details stay hidden)."""
    return [(field_label(k), v) for k, v in details.items() if isinstance(v, str)]


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
    summary = "；".join(f"{label}：{text}" if label else text for label, text in labelled(details))
    raise ValidationFailed(f"输入有误：{summary}", code=code, details=details)
