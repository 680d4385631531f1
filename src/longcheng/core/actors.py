"""Who acts: the user behind a request or a command, as plain data.

``Role`` names the roles of the platform; ``Actor`` is what services, permissions and
the audit trail receive (never the ORM user), so that the CLI and tests can act too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    admin = "admin"  # 系统管理员
    officer = "officer"  # 区/园区工作人员 (district officer); district None = city-wide
    enterprise = "enterprise"  # 企业用户, bound to one USCC
    reviewer = "reviewer"  # 评审专家 / 审核人员
    auditor = "auditor"  # 审计 / 只读
    finance = "finance"  # 财务人员 (payment batches, bank files)
    operator = "operator"  # 交易机构工作人员 (exchange operator), bound to one institution
    bidder = "bidder"  # 竞买人 / 投标人 (a natural person or an organisation's agent)
    talent = "talent"  # 人才个人 (a person's own record)

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.admin: "系统管理员",
    Role.officer: "区县工作人员",
    Role.enterprise: "企业用户",
    Role.reviewer: "评审人员",
    Role.auditor: "审计（只读）",
    Role.finance: "财务人员",
    Role.operator: "交易机构工作人员",
    Role.bidder: "竞买人",
    Role.talent: "人才个人",
}


@dataclass(frozen=True)
class Actor:
    """The acting user. ``org_uscc`` binds an enterprise user; ``district`` scopes an officer."""

    id: int | None
    username: str
    role: Role
    display_name: str = ""
    org_uscc: str | None = None
    district: str | None = None

    @property
    def label(self) -> str:
        return f"{self.display_name or self.username}（{self.role.label}）"


SYSTEM = Actor(id=None, username="system", role=Role.admin, display_name="系统")
