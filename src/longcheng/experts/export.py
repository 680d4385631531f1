"""XLSX of the expert pool with stable columns (the import reads the same columns back)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from longcheng.core.exporting import Cell, write_xlsx
from longcheng.experts.engine import taxonomy
from longcheng.experts.models import Expert

HEADERS = (
    "专家编号",
    "姓名",
    "职称",
    "任职单位",
    "任职单位信用代码",
    "评审领域",
    "电话",
    "邮箱",
    "状态",
    "曾任职单位",
)


def former_text(expert: Expert) -> str:
    return "；".join(
        f"{f.uscc}@{f.ended_on.isoformat() if f.ended_on else ''}" for f in expert.former_employers
    )


def _rows(experts: Iterable[Expert]) -> Iterator[list[Cell]]:
    labels = taxonomy.default().labels()
    for e in experts:
        yield [
            e.code,
            e.name,
            e.title,
            e.employer_name,
            e.employer_uscc or "",
            "、".join(labels.get(c, c) for c in e.fields),
            e.phone,
            e.email,
            e.status_label,
            former_text(e),
        ]


def to_xlsx(experts: Iterable[Expert]) -> bytes:
    return write_xlsx("专家库", HEADERS, _rows(experts))


def template_xlsx() -> bytes:
    return write_xlsx("专家库", HEADERS[1:], [])
