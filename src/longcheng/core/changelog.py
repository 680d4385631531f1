"""Change logs (变更痕迹) in Chinese: the audit trail's codes turned into words people read.

The audit trail stores stable codes (``registry.fact.add``, ``district: wujin``, amounts in fen);
the API keeps them. Pages show them through :func:`describe`: the action's and the entity's
Chinese names, each changed field by its label, amounts in 元/万元/亿元, places and other coded
values by name, times in Beijing time. Each module declares its words once
(:class:`Vocabulary`, registered in ``longcheng.modules.wire``); core's own are below.
An action nobody named reads 其他操作 — never the raw code on a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from longcheng.core.actors import Role
from longcheng.core.clock import format_local
from longcheng.core.validation import FIELD_LABELS, register_labels

Values = Mapping[str, str] | Callable[[], Mapping[str, str]]


@dataclass(frozen=True)
class Vocabulary:
    """A module's words: actions, entity kinds, field labels, coded values, money fields."""

    actions: Mapping[str, str] = field(default_factory=dict)
    entities: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Values] = field(default_factory=dict)  # field -> code -> label
    money: frozenset[str] = frozenset()  # fields holding fen (besides every ``*_fen``)
    modules: Mapping[str, str] = field(default_factory=dict)  # action prefix -> module name


_ACTIONS: dict[str, str] = {}
_ENTITIES: dict[str, str] = {}
_VALUES: dict[str, Values] = {}
_MONEY: set[str] = set()
_MODULES: dict[str, str] = {}


_PENDING: list[Callable[[], Vocabulary]] = []
_BUILT: set[Callable[[], Vocabulary]] = set()


def register_lazy(build: Callable[[], Vocabulary]) -> None:
    """Register words that are costly to gather (read from data files) on their first use."""
    if build not in _BUILT and build not in _PENDING:
        _PENDING.append(build)


def _resolve() -> None:
    while _PENDING:
        build = _PENDING.pop(0)
        _BUILT.add(build)
        register(build())


def register(vocabulary: Vocabulary) -> None:
    _ACTIONS.update(vocabulary.actions)
    _ENTITIES.update(vocabulary.entities)
    _VALUES.update(vocabulary.values)
    _MONEY.update(vocabulary.money)
    _MODULES.update(vocabulary.modules)
    register_labels(vocabulary.fields)


def module_choices() -> list[tuple[str, str]]:
    """The ``what`` filter's choices: each module's prefix, then each named action."""
    _resolve()
    present = {action.split(".", 1)[0] for action in _ACTIONS}
    modules = [(p, f"【{label}】全部") for p, label in _MODULES.items() if p in present]
    return modules + sorted(_ACTIONS.items(), key=lambda item: item[0])


def action_label(action: str) -> str:
    _resolve()
    return _ACTIONS.get(action, "其他操作")


def entity_label(entity_type: str) -> str:
    return _ENTITIES.get(entity_type, "记录")


def field_name(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if not name.isascii():
        return name
    return "编号" if name.endswith("_id") else "其他信息"


def money_text(fen: int | Decimal) -> str:
    """An amount as people say it: 1,234.56 元, 123.45 万元, 1.23 亿元."""
    yuan = Decimal(fen) / 100
    if abs(yuan) >= 100_000_000:
        return f"{yuan / 100_000_000:,.2f} 亿元"
    if abs(yuan) >= 10_000:
        return f"{yuan / 10_000:,.2f} 万元"
    return f"{yuan:,.2f} 元"


_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _coded(name: str, value: str, scopes: tuple[str, ...]) -> str | None:
    """The label of a coded value: ``<action>.<field>``, then ``<entity>.<field>``, then ``<field>``."""
    for key in (*(f"{scope}.{name}" for scope in scopes), name):
        table = _VALUES.get(key)
        if table is not None:
            labels = table() if callable(table) else table
            return labels.get(value)
    return None


def _is_money(name: str, context: Mapping[str, Any]) -> bool:
    if name in _MONEY or name.endswith("_fen"):
        return True
    return name == "value" and bool(context.get("currency"))


def value_text(
    name: str, value: Any, context: Mapping[str, Any] | None = None, scopes: tuple[str, ...] = ()
) -> str:
    """One value in words; ``context`` holds the record's other values (a fact's currency) and
    ``scopes`` the action and entity type, for codes whose meaning depends on them."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | Decimal) and _is_money(name, context or {}):
        return money_text(value)
    if isinstance(value, list):
        return "、".join(value_text(name, v, context, scopes) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_name(k)}：{value_text(k, v, value, scopes)}" for k, v in value.items())
    text = str(value)
    coded = _coded(name, text, scopes)
    if coded is not None:
        return coded
    if _ISO_TIME.match(text):
        try:
            return format_local(datetime.fromisoformat(text))
        except ValueError:
            return text
    return text


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeView:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    lines: list[ChangeLine]
    reason: str


def _side(diff: Mapping[str, Any], index: int) -> dict[str, Any]:
    return {k: v[index] for k, v in diff.items() if isinstance(v, list | tuple) and len(v) == 2}


def describe(record: Any, *, entity_names: Mapping[tuple[str, str], str] | None = None) -> ChangeView:
    """A record of ``core.audit`` in words; ``entity_names`` names entities (users by name)."""
    _resolve()
    diff: dict[str, Any] = record.diff_data
    before, after = _side(diff, 0), _side(diff, 1)
    scopes = (record.action, record.entity_type)
    lines = [
        ChangeLine(
            field_name(k),
            value_text(k, before.get(k), before, scopes),
            value_text(k, after.get(k), after, scopes),
        )
        for k in diff
    ]
    key = (record.entity_type, str(record.entity_id))
    name = (entity_names or {}).get(key, str(record.entity_id))
    return ChangeView(
        seq=record.seq,
        at=record.at,
        actor=record.actor,
        action=action_label(record.action),
        entity=f"{entity_label(record.entity_type)} {name}".strip(),
        lines=lines,
        reason=record.reason,
    )


CORE = Vocabulary(
    actions={
        "auth.login": "登录",
        "auth.locked": "账户因多次密码错误被锁定",
        "auth.session_end": "结束登录会话",
        "auth.sessions_end": "结束全部登录会话",
        "audit.checkpoint": "签署操作痕迹检查点",
        "users.create": "新建用户",
        "users.deactivate": "停用用户",
        "users.reactivate": "启用用户",
        "users.password_change": "修改密码",
        "users.token_create": "创建接口令牌",
        "users.token_revoke": "吊销接口令牌",
        "pii.view": "查看完整个人信息",
        "pii.view_denied": "查看完整个人信息被拒绝",
    },
    entities={"user": "用户", "app_user": "用户", "audit": "操作痕迹", "login": "登录会话"},
    modules={"auth": "登录", "users": "用户管理", "audit": "操作痕迹", "pii": "个人信息"},
    fields={
        "username": "用户名",
        "display_name": "姓名",
        "role": "角色",
        "is_active": "是否启用",
        "email": "电子邮箱",
        "reason": "原因",
        "token": "令牌",
        "token_name": "令牌名称",
        "ip": "IP 地址",
        "user_agent": "浏览器",
        "expires_at": "失效时间",
        "ended_at": "结束时间",
        "seq": "序号",
        "hash": "哈希值",
        "head": "链头",
        "count": "数量",
    },
    values={"role": {role.value: role.label for role in Role}},
)
register(CORE)
