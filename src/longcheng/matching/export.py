"""XLSX exports of matching's lists: challenges, capabilities and the broker's pairs.

Columns are stable (tests and users' spreadsheets rely on their order); every cell goes through
``core.exporting`` so that text beginning with ``= + - @`` stays text, never a formula. Money is
yuan with two decimals; times are Beijing time.
"""

from __future__ import annotations

from collections.abc import Iterable

from longcheng.core.actors import Actor
from longcheng.core.clock import format_local
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.matching.broker.models import DECISIONS, OUTCOMES, Pair
from longcheng.matching.capabilities.models import KINDS, Capability
from longcheng.matching.challenges import service as challenges
from longcheng.matching.challenges.models import Challenge, IpTerms

CHALLENGE_HEADERS = (
    "编号",
    "榜单名称",
    "技术领域",
    "发榜方",
    "榜额（元）",
    "当前技术成熟度",
    "目标技术成熟度",
    "截止时间",
    "知识产权约定",
    "状态",
    "十大需求",
)
CAPABILITY_HEADERS = (
    "编号",
    "成果名称",
    "类型",
    "技术领域",
    "技术成熟度",
    "关键词",
    "单位名称",
    "单位统一社会信用代码",
    "联系人",
)
PAIR_HEADERS = (
    "榜单编号",
    "榜单名称",
    "成果编号",
    "成果名称",
    "成果单位",
    "匹配度",
    "匹配理由",
    "处理结果",
    "处理人",
    "对接进展",
    "合同金额（元）",
    "更新时间",
)


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else round(fen / 100, 2)


def challenges_xlsx(rows: Iterable[Challenge], actor: Actor | None) -> bytes:
    """The challenges as shown to ``actor`` (an anonymous seeker stays hidden from outsiders)."""

    def line(c: Challenge) -> list[Cell]:
        return [
            c.code,
            c.title,
            c.field,
            challenges.seeker_label(c, actor),
            _yuan(c.budget_fen),
            c.trl_current,
            c.trl_target,
            format_local(c.deadline),
            IpTerms(c.ip_terms).label,
            challenges.status_of(c).label,
            "是" if c.top_ten else "否",
        ]

    return write_xlsx("榜单", CHALLENGE_HEADERS, (line(c) for c in rows))


def capabilities_xlsx(rows: Iterable[Capability]) -> bytes:
    return write_xlsx(
        "科技成果",
        CAPABILITY_HEADERS,
        (
            [r.code, r.title, KINDS[r.kind], r.field, r.trl, r.keywords, r.org_name, r.org_uscc, r.contact]
            for r in rows
        ),
    )


def pairs_xlsx(rows: Iterable[tuple[Pair, Challenge, Capability]]) -> bytes:
    def line(p: Pair, c: Challenge, k: Capability) -> list[Cell]:
        return [
            c.code,
            c.title,
            k.code,
            k.title,
            k.org_name,
            round(p.score, 3),
            "；".join(w for w in p.why.split("\n") if w),
            DECISIONS[p.decision],
            p.decided_by,
            OUTCOMES[p.outcome],
            _yuan(p.contract_fen),
            format_local(p.updated_at),
        ]

    return write_xlsx("推荐对接", PAIR_HEADERS, (line(*row) for row in rows))
