"""The registry's XLSX export: stable Chinese columns, exactly the rows the list shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from longcheng.core.clock import local_today
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.registry import reference as ref
from longcheng.registry.models import Organisation
from longcheng.registry.query import FIELD_SEP, TAG_SEP

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
    """Labels of the firm's tags valid today, oldest first: from the text a list query read with
    the row (``query.valid_tags``), else from ``tags`` (which wins once loaded)."""
    text = org.valid_tags_text
    if "tags" in org.__dict__ or text is None:
        today = local_today()
        return [tag_label(t.tag, t.level) for t in org.tags if t.is_valid_on(today)]
    items = sorted((valid_from, int(tag_id), tag, level) for valid_from, tag_id, tag, level in _fields(text))
    return [tag_label(tag, level or None) for _, _, tag, level in items]


def _fields(text: str) -> Iterator[tuple[str, str, str, str]]:
    for item in text.split(TAG_SEP):
        if item:
            valid_from, tag_id, tag, level = item.split(FIELD_SEP)
            yield valid_from, tag_id, tag, level


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
