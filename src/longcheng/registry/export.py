"""The registry's XLSX export: stable Chinese columns, exactly the rows the list shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from longcheng.core.clock import local_today
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.registry import reference as ref
from longcheng.registry.models import Organisation

HEADERS = [
    "统一社会信用代码",
    "机构名称",
    "曾用名",
    "机构类型",
    "所属区",
    "所属园区",
    "行业代码",
    "行业名称",
    "成立日期",
    "有效标签",
    "地址",
]


@cache
def _tag_vocab() -> tuple[dict[str, ref.TagType], dict[str, str]]:
    return ref.tag_types(), ref.levels()


def tag_label(tag: str, level: str | None) -> str:
    """``高新技术企业（国家级）``: the tag's Chinese name and its level."""
    types, levels = _tag_vocab()
    label = types[tag].label if tag in types else tag
    return f"{label}（{levels[level]}）" if level in levels else label


def valid_tag_labels(org: Organisation) -> list[str]:
    today = local_today()
    return [tag_label(t.tag, t.level) for t in org.tags if t.is_valid_on(today)]


def _rows(orgs: Iterable[Organisation]) -> Iterator[list[Cell]]:
    types = ref.org_types()
    for o in orgs:
        yield [
            o.uscc,
            o.name,
            "；".join(o.former_name_list),
            types.get(o.org_type, o.org_type),
            ref.place_name(o.district),
            ref.place_name(o.park),
            o.industry or "",
            ref.industry_name(o.industry),
            o.established,
            "；".join(valid_tag_labels(o)),
            o.address,
        ]


def to_xlsx(orgs: Iterable[Organisation]) -> bytes:
    return write_xlsx("一企一档", HEADERS, _rows(orgs))
