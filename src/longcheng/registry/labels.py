"""The registry's words for change logs (core.changelog): actions, fields and coded values."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.registry import reference as ref
from longcheng.registry.people.schemas import ROLE_LABELS


def _places() -> dict[str, str]:
    return {code: place.name for code, place in ref.places().items()}


def _industries() -> dict[str, str]:
    return {code: f"{code} {ind.name}" for code, ind in ref.industries().items()}


def _fact_kinds() -> dict[str, str]:
    return {code: kind.label for code, kind in ref.fact_kinds().items()}


def _tags() -> dict[str, str]:
    return {code: tag.label for code, tag in ref.tag_types().items()}


VOCABULARY = Vocabulary(
    modules={"registry": "一企一档"},
    actions={
        "registry.org.create": "新建机构",
        "registry.org.update": "修改机构信息",
        "registry.org.import": "导入机构",
        "registry.tag.add": "添加企业标签",
        "registry.fact.add": "添加年度数据",
        "registry.people.set": "更新主要人员与股东",
        "registry.people.seed": "生成演示人员数据",
    },
    entities={"org": "机构"},
    fields={
        "address": "地址",
        "kind": "类别",
        "value": "数值",
        "currency": "币种",
        "source": "来源",
        "tag": "标签",
        "level": "级别",
        "valid_from": "起始日期",
        "valid_to": "截止日期",
        "certificate_no": "证书编号",
        "people": "人员",
    },
    values={
        "district": _places,
        "park": _places,
        "industry": _industries,
        "org_type": ref.org_types,
        "level": ref.levels,
        "tag": _tags,
        "registry.fact.add.kind": _fact_kinds,
        "role": ROLE_LABELS,
        "currency": {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "JPY": "日元", "HKD": "港元"},
    },
)
