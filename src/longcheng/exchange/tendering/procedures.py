"""Procurement procedures (采购方式) read from the charter's rule data.

公开招标 (open) and 邀请招标 (invited) rank by the panel's evaluation; 竞争性谈判 (negotiate) takes
sealed quotes over several rounds, each opened like a tender, and 询价 (inquiry) takes one quote
that may not be changed; both award to the lowest price among the quotes found to meet the
requirements (符合采购需求、质量和服务相等且报价最低). The minimum number of suppliers, the rounds
and the award rule are data in ``data/alliance.yaml`` (``tendering.procedures``).
"""

from __future__ import annotations

from dataclasses import dataclass

from longcheng.core.errors import ValidationFailed
from longcheng.exchange.charter import terms

LABELS = {"open": "公开招标", "invited": "邀请招标", "negotiate": "竞争性谈判", "inquiry": "询价"}
AWARD_LABELS = {"evaluation": "综合评分/评标委员会评审", "lowest_price": "符合需求且报价最低"}


@dataclass(frozen=True)
class Procedure:
    code: str
    min_suppliers: int
    rounds: int
    award: str  # evaluation | lowest_price
    invited: bool
    revisable: bool

    @property
    def label(self) -> str:
        return LABELS.get(self.code, self.code)


def rule(code: str) -> Procedure:
    """The procedure's rules; an unknown code is refused with the known ones named."""
    table = terms.load().tendering["procedures"]
    raw = table.get(code)
    if raw is None:
        known = "、".join(LABELS.get(c, c) for c in table)
        raise ValidationFailed(f"未知的采购方式，可选：{known}。", code="tendering.bad_procedure")
    return Procedure(
        code=code,
        min_suppliers=int(raw["min_suppliers"]),
        rounds=int(raw["rounds"]),
        award=str(raw["award"]),
        invited=bool(raw["invited"]),
        revisable=bool(raw["revisable"]),
    )


def check_invitations(proc: Procedure, usccs: list[str]) -> list[str]:
    """The invited suppliers' codes, at least the procedure's minimum when it invites."""
    clean = list(dict.fromkeys(u.strip().upper() for u in usccs if u.strip()))
    if proc.invited and len(clean) < proc.min_suppliers:
        raise ValidationFailed(
            f"{proc.label}须邀请不少于 {proc.min_suppliers} 家供应商，现为 {len(clean)} 家。",
            code="tendering.too_few_suppliers",
            details={"受邀投标人": f"至少 {proc.min_suppliers} 家"},
        )
    return clean
