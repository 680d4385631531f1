"""Organisation and project names in a sentence.

Organisations come from two sources: names that end in a legal or institutional suffix (集团,
有限公司, 股份有限公司, 管委会, 研究院, 大学 …), read from a clause boundary up to the suffix, and
the names the caller knows (the registry's organisations and their former names), found with a
first-four-characters index so that a hundred thousand names cost a few dictionary probes per
character. Project names end in 项目, 基地 or 产业园 (with an optional "（二期）"); generic phrases
("重大项目", "30个项目", "该项目") are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ORG_CHARS = r"(?:(?![的与和及])[\u4e00-\u9fffA-Za-z0-9（）()·&])"
_PROJECT_CHARS = r"(?:(?!的)[\u4e00-\u9fffA-Za-z0-9（）()·&“”\-])"
_BOUNDARY = r"(?:^|(?<=[，,。.！!？?；;：:、“”\"'《》\s与和同及在向对由为是把被将从跟的]))"
_ORG_SUFFIX = (
    r"(?:股份有限公司|有限责任公司|有限公司|集团(?:股份)?(?:有限公司)?|管委会|管理委员会|研究院(?:有限公司)?"
    r"|研究所|大学|学院|银行|商会|协会)"
)
ORG_RE = re.compile(rf"{_BOUNDARY}(?P<name>{_ORG_CHARS}{{2,30}}?{_ORG_SUFFIX})")
PROJECT_RE = re.compile(
    rf"{_BOUNDARY}(?P<name>{_PROJECT_CHARS}{{2,40}}?(?:(?:[一二三四五六七八九十\d]+期)?(?:项目|基地|产业园))+"
    r"(?:[（(][一二三四五六七八九十\d]+期[)）])?)"
)
_LEAD_RE = re.compile(
    r"^(?:其中|包括|分别为|分别|以及|支持|联合|携手|依托|位于|作为|成为|通过|近日|日前|目前|今年|去年|当天|现场"
    r"|建设|启动|实施|推进|开工|签约|投资|引进|落户|新建|扩建|打造|加快|全力|积极|成功|再度|先后|累计|已|均"
    r"|承担|达成|拥有|设有|用于|获得|荣获|全年|全区|全市|本次|上半年|下半年|企业|以|了|由|与|和|对|向|在|将|把|被|为|是|等)+"
)
_GENERIC_PROJECT_RE = re.compile(
    r"^(?:该|此|本|这|各|各类|一批|一个|首个|新|大|重大|重点|优质|产业|竣工|外资|精品外资|服务业|制造业|科技人才|科技"
    r"|人才|市级|省级|区级|市|省|区|国家级|示范|合作|技术|产学研|校企|民生|帮扶|结对|招商|建设|试点|好|超亿元|亿元"
    r"|百亿元|一期|二期|三期|“1231”|1231|“|”)*(?:项目|基地|产业园)$"
)
#: Words that proper project names do not contain: counts, stages and list talk.
_NOT_A_NAME_RE = re.compile(
    r"[\d一二三四五六七八九十百千数几]+(?:个|项|批|家|大)|签约|累计|招引|新增|新设|列入|入库|集中|在建|拟建|其他|意向"
    r"|了|相关|等|一批|重点|重大|优质|用于"
)
#: An amount inside a would-be name ("协议投资162亿元建设合成生物隔膜项目"): the name starts after it.
_AMOUNT_IN_NAME_RE = re.compile(
    r"[\d.,，一二三四五六七八九十百千万亿两]+(?:多|余)?[十百千万亿]*(?:元|美元|欧元|港元|英镑|日元)(?:人民币)?"
)
_GENERIC_ORGS = frozenset(
    {"集团", "公司", "有限公司", "大学", "学院", "银行", "研究院", "管委会", "该集团", "该公司"}
)


@dataclass(frozen=True)
class NameMention:
    name: str
    start: int
    end: int


def _after_amount(name: str, start: int) -> tuple[str, int]:
    """The part of ``name`` after its last money amount (the whole name when it holds none)."""
    end = max((m.end() for m in _AMOUNT_IN_NAME_RE.finditer(name)), default=0)
    if end == 0 or end >= len(name):
        return name, start
    return name[end:], start + end


def _clean(name: str, start: int) -> tuple[str, int]:
    name, start = _after_amount(name, start)
    lead = _LEAD_RE.match(name)
    if lead and lead.end() < len(name):
        return name[lead.end() :], start + lead.end()
    return name, start


def find_orgs(text: str, start: int, end: int) -> list[NameMention]:
    """Organisation names with a suffix in ``text[start:end]``."""
    out: list[NameMention] = []
    for m in ORG_RE.finditer(text, start, end):
        name, at = _clean(m.group("name"), m.start("name"))
        if len(name) >= 4 and name not in _GENERIC_ORGS:
            out.append(NameMention(name, at, m.end("name")))
    return out


def find_projects(text: str, start: int, end: int) -> list[NameMention]:
    """Project names in ``text[start:end]``, generic phrases left out."""
    out: list[NameMention] = []
    for m in PROJECT_RE.finditer(text, start, end):
        name, at = _clean(m.group("name"), m.start("name"))
        if len(name) >= 5 and not _GENERIC_PROJECT_RE.match(name) and not _NOT_A_NAME_RE.search(name):
            out.append(NameMention(name, at, m.end("name")))
    return out


class KnownNames:
    """Exact matching of many known names (the registry's organisations), longest match first.

    Names of four characters or more sit in one set, and each first-four-characters key maps to a
    bit mask of the lengths of the names under it (shorter names are a set of their own). A
    position then costs one dictionary probe plus one set probe per distinct length under its key
    — also when tens of thousands of names share a prefix such as "常州" or "江苏" — and building
    the index makes no object per group (a set and a sorted tuple per key made it 4–5× slower).
    """

    _KEY = 4

    def __init__(self, names: Iterable[str]) -> None:
        long: set[str] = set()
        short: set[str] = set()
        lengths: dict[str, int] = {}
        key_len = self._KEY
        for raw in names:
            name = raw.strip()
            size = len(name)
            if size >= key_len:
                long.add(name)
                key = name[:key_len]
                lengths[key] = lengths.get(key, 0) | (1 << size)
            elif size >= 2:
                short.add(name)
        self._names, self._short, self._lengths = long, short, lengths

    def __bool__(self) -> bool:
        return bool(self._names or self._short)

    def _longest(self, text: str, position: int, end: int) -> str | None:
        mask = self._lengths.get(text[position : position + self._KEY])
        if mask is not None:
            room = end - position
            while mask:
                length = mask.bit_length() - 1
                mask ^= 1 << length
                if length <= room and (candidate := text[position : position + length]) in self._names:
                    return candidate
        if self._short:
            for length in (3, 2):
                if position + length <= end and text[position : position + length] in self._short:
                    return text[position : position + length]
        return None

    def find(self, text: str, start: int, end: int) -> list[NameMention]:
        """Known names in ``text[start:end]``, left to right, not overlapping."""
        out: list[NameMention] = []
        position = start
        while position < end - 1:
            hit = self._longest(text, position, end)
            if hit:
                out.append(NameMention(hit, position, position + len(hit)))
                position += len(hit)
            else:
                position += 1
        return out
