"""Tables of the projects module: projects, their people, lists, plans, money, ceremonies, thresholds.

Money is integer fen (CNY equivalents in ``*_fen`` columns; an amount stated in a foreign
currency is kept as stated in ``stated_*`` with the dated rate used). Land is kept in
hundredths of a 亩 so it stays an integer. ``version`` guards a project against two officers
saving at once; the stored ``light`` is refreshed after every change and by the nightly
recompute, so lists can filter on it. The tables of 督办 are in :mod:`.supervision.models`, those
of news evidence in :mod:`.evidence.models`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage

LIST_SEP = "\x1f"  # between list names read as one text (names never hold control characters)


class Project(Base):
    """One investment project (招商项目 / 重大项目) from lead to full production."""

    __tablename__ = "projects_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    project_type: Mapped[str] = mapped_column(String(20), default="industrial")
    summary: Mapped[str] = mapped_column(Text, default="")
    district: Mapped[str] = mapped_column(String(30))
    park: Mapped[str | None] = mapped_column(String(30))
    industry: Mapped[str | None] = mapped_column(String(4))
    cooperation: Mapped[str | None] = mapped_column(String(30))
    partner_region: Mapped[str] = mapped_column(String(60), default="")
    stage: Mapped[str] = mapped_column(String(20), default=Stage.lead.value)
    lead_on: Mapped[date | None] = mapped_column(Date)
    negotiating_on: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    producing_on: Mapped[date | None] = mapped_column(Date)
    at_capacity_on: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    stated_agreed: Mapped[int | None] = mapped_column(BigInteger)  # 1/100 of the stated currency
    stated_total: Mapped[int | None] = mapped_column(BigInteger)
    fx_rate_micro: Mapped[int | None] = mapped_column(BigInteger)  # CNY per unit × 10⁶
    fx_rate_on: Mapped[date | None] = mapped_column(Date)
    agreed_investment_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    total_investment_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    land_centi_mu: Mapped[int | None] = mapped_column(BigInteger)  # 1/100 亩
    floor_area_m2: Mapped[int | None] = mapped_column(BigInteger)
    expected_output_fen: Mapped[int | None] = mapped_column(BigInteger)
    expected_tax_fen: Mapped[int | None] = mapped_column(BigInteger)
    expected_jobs: Mapped[int | None] = mapped_column(Integer)
    leader_name: Mapped[str] = mapped_column(String(60), default="")
    leader_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    responsible_unit: Mapped[str] = mapped_column(String(100), default="")
    investor_names: Mapped[str] = mapped_column(Text, default="")  # "；"-joined, for lists and search
    search_text: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[str] = mapped_column(Text, default="")  # one per line, shown until fixed
    light: Mapped[str] = mapped_column(String(10), default="green")
    light_reasons: Mapped[str] = mapped_column(Text, default="")  # one per line
    light_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The list names joined by LIST_SEP, read with the row by a list query (``service.query``);
    # None when the row was loaded without them.
    list_names_text: Mapped[str | None] = query_expression()

    investors: Mapped[list[ProjectInvestor]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectInvestor.position"
    )
    lists: Mapped[list[ProjectListEntry]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectListEntry.list_name"
    )
    people: Mapped[list[ProjectPerson]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectPerson.id"
    )

    __table_args__ = (
        Index("ix_projects_project_district_stage", "district", "stage", "id"),
        Index("ix_projects_project_stage_total", "stage", "total_investment_fen", "id"),
        Index("ix_projects_project_total", "total_investment_fen", "id"),
        Index("ix_projects_project_light", "light", "total_investment_fen", "id"),
        Index("ix_projects_project_updated", "updated_at", "id"),
        Index("ix_projects_project_signed", "signed_on", "id"),
        Index("ix_projects_project_park", "park", "id"),
        Index("ix_projects_project_industry", "industry", "id"),
        Index("ix_projects_project_leader", "leader_name", "id"),
        Index("ix_projects_project_name", "name", "id"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def scope_uscc(self) -> str | None:
        return None

    @property
    def scope_district(self) -> str | None:
        return self.district

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def stage_dates(self) -> dict[Stage, date]:
        return {s: d for s in STAGE_ORDER if (d := getattr(self, f"{s.value}_on")) is not None}

    @property
    def warning_list(self) -> list[str]:
        return [w for w in self.warnings.splitlines() if w.strip()]

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.light_reasons.splitlines() if r.strip()]

    @property
    def list_names(self) -> list[str]:
        """The official lists and batches the project is on, in code-point order: read with the
        row by a list query, else from ``lists`` (which wins once loaded: it may have changed)."""
        if "lists" in self.__dict__ or self.list_names_text is None:
            return sorted(entry.list_name for entry in self.lists)
        return sorted(n for n in self.list_names_text.split(LIST_SEP) if n)

    @property
    def responsible_user_ids(self) -> set[int]:
        """Users who answer for the project: its leader and its task-force members with accounts."""
        ids = {p.user_id for p in self.people if p.kind == "task_force" and p.user_id is not None}
        return ids | ({self.leader_user_id} if self.leader_user_id is not None else set())

    def audit_view(self) -> dict[str, object]:
        fields = (
            "code",
            "name",
            "project_type",
            "summary",
            "district",
            "park",
            "industry",
            "cooperation",
            "partner_region",
            "stage",
            "currency",
            "stated_agreed",
            "stated_total",
            "fx_rate_micro",
            "fx_rate_on",
            "agreed_investment_fen",
            "total_investment_fen",
            "land_centi_mu",
            "floor_area_m2",
            "expected_output_fen",
            "expected_tax_fen",
            "expected_jobs",
            "leader_name",
            "leader_user_id",
            "responsible_unit",
            "warnings",
        )
        view: dict[str, object] = {f: getattr(self, f) for f in fields}
        view.update({f"{s.value}_on": getattr(self, f"{s.value}_on") for s in STAGE_ORDER})
        view["investors"] = [f"{i.name}（{i.uscc}）" if i.uscc else i.name for i in self.investors]
        view["lists"] = self.list_names
        view["people"] = [f"{p.kind}:{p.name}:{p.title}:{p.phone}:{p.user_id or ''}" for p in self.people]
        return view


class ProjectInvestor(Base):
    """An investor of a project: linked to the registry by USCC when it is registered there."""

    __tablename__ = "projects_investor"
    __table_args__ = (Index("ix_projects_investor_uscc", "uscc", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    uscc: Mapped[str | None] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))

    project: Mapped[Project] = relationship(back_populates="investors")


class ProjectListEntry(Base):
    """Membership of an official list (省重大, 532 …) or a ceremony batch (2026年5.18集中签约)."""

    __tablename__ = "projects_list_entry"
    __table_args__ = (
        UniqueConstraint("project_id", "list_name", name="uq_projects_list_entry_project_list"),
        Index("ix_projects_list_entry_list", "list_name", "project_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(60))

    project: Mapped[Project] = relationship(back_populates="lists")


class ProjectPerson(Base):
    """A task-force member (专班) or a contact (联系人); ``user_id`` links a platform account."""

    __tablename__ = "projects_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # task_force | contact
    name: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)

    project: Mapped[Project] = relationship(back_populates="people")


class PlanNode(Base):
    """A node of the project's 时序计划表: planned date (a working day), moved-date note, done date."""

    __tablename__ = "projects_plan_node"
    __table_args__ = (UniqueConstraint("project_id", "code", name="uq_projects_plan_node_project_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    stage: Mapped[str | None] = mapped_column(String(20))
    after: Mapped[str | None] = mapped_column(String(40))
    planned: Mapped[date] = mapped_column(Date)
    original: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[date | None] = mapped_column(Date)


class InvestmentMonth(Base):
    """Planned and completed investment of one project in one month (序时进度), in fen."""

    __tablename__ = "projects_investment_month"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "month", name="uq_projects_investment_month_key"),
        Index("ix_projects_investment_month_year", "year", "project_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    planned_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    completed_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class LightSettings(Base):
    """The status-light thresholds an officer edits (one row; the YAML holds the defaults)."""

    __tablename__ = "projects_light_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_yellow_within_working_days: Mapped[int] = mapped_column(Integer)
    node_red_after_overdue_working_days: Mapped[int] = mapped_column(Integer)
    order_yellow_within_working_days: Mapped[int] = mapped_column(Integer)
    order_late_reply_red_working_days: Mapped[int] = mapped_column(Integer)
    schedule_yellow_below_pct_x10: Mapped[int] = mapped_column(Integer)  # 90.0% → 900
    schedule_red_below_pct_x10: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class FxRate(Base):
    """CNY per unit of a foreign currency from a date on (micro-yuan, so it stays an integer)."""

    __tablename__ = "projects_fx_rate"
    __table_args__ = (UniqueConstraint("currency", "on_date", name="uq_projects_fx_rate_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    on_date: Mapped[date] = mapped_column(Date)
    cny_micro: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(200), default="")


class Ceremony(Base):
    """A 集中签约/开工/竣工 event: many projects changed stage together in one action."""

    __tablename__ = "projects_ceremony"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    project_count: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
