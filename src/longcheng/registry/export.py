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


def valid_tag_labels(org: Organisation) -> list[str]:
    (types, levels), today = _tag_vocab(), local_today()
    out = []
    for t in org.tags:
        if t.is_valid_on(today):
            label = types[t.tag].label if t.tag in types else t.tag
            out.append(f"{label}（{levels[t.level]}）" if t.level in levels else label)
    return out


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
