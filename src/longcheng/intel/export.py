"""Display helpers of the intel pages: the reader's highlighted text, labels, and the XLSX export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from longcheng.core.exporting import Cell, write_xlsx
from longcheng.intel.models import Fact
from longcheng.intel.schemas import EVENT_LABELS, KIND_LABELS, QUALIFIER_LABELS
from longcheng.registry import reference as ref

HEADERS = [
    "事实编号",
    "发布日期",
    "文章标题",
    "文件",
    "金额类别",
    "事件",
    "计划/预期",
    "金额原文",
    "金额（万元）",
    "上限（万元）",
    "币种",
    "数量修饰",
    "线索原文",
    "项目",
    "机构（原文）",
    "关联机构代码",
    "地点",
    "所属区",
    "事实日期",
    "原句",
]


@dataclass(frozen=True)
class Span:
    """A stretch of text to mark: ``[start, end)`` with the fact it belongs to."""

    start: int
    end: int
    fact_id: int
    css: str
    title: str


def wan(fen: int) -> float:
    """Fen as 万元 rounded to the cent, for a spreadsheet cell (display only)."""
    return float(round(Decimal(fen) / 1_000_000, 6))


def fact_title(fact: Fact) -> str:
    event = EVENT_LABELS.get(fact.event or "", "")
    return f"{KIND_LABELS.get(fact.kind, fact.kind)}{'·' + event if event else ''}：{fact.amount_text}"


def mark_spans(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` escaped, each span wrapped in ``<mark>``; overlapping spans are clipped, never nested."""
    pieces: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = max(span.start, cursor), min(span.end, len(text))
        if end <= start:
            continue
        pieces.append(str(escape(text[cursor:start])))
        pieces.append(
            f'<mark class="fact {escape(span.css)}" id="fact-{span.fact_id}" data-fact="{span.fact_id}" '
            f'title="{escape(span.title)}">{escape(text[start:end])}</mark>'
        )
        cursor = end
    pieces.append(str(escape(text[cursor:])))
    return Markup("".join(pieces))


def fact_spans(facts: Iterable[Fact]) -> list[Span]:
    """The reader marks each fact from its cue word to its amount (签约总投资101亿元)."""
    return [
        Span(min(f.cue_start, f.start), max(f.cue_end, f.end), f.id, f"kind-{f.kind}", fact_title(f))
        for f in facts
    ]


def _rows(facts: Iterable[Fact]) -> Iterator[list[Cell]]:
    for f in facts:
        yield [
            f.id,
            f.published,
            f.article.title,
            f.document.name,
            KIND_LABELS.get(f.kind, f.kind),
            EVENT_LABELS.get(f.event or "", ""),
            "是" if f.planned else "",
            f.amount_text,
            wan(f.amount_fen),
            None if f.value_fen is not None else wan(f.high_fen),
            f.currency,
            QUALIFIER_LABELS.get(f.qualifier, f.qualifier),
            f.cue,
            f.project or "",
            f.org or "",
            f.org_uscc or "",
            f.place_name or "",
            ref.place_name(f.district),
            f.fact_date or "",
            f.sentence,
        ]


def to_xlsx(facts: Iterable[Fact]) -> bytes:
    return write_xlsx("招商情报事实", HEADERS, _rows(facts))
