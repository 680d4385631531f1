"""Where a clause's inputs come from: the registry (一企一档) and policy-owned input records.

For an evaluation year Y, each enterprise variable of a pack is read from one source:

* **企业库标签** (registry tags, read through ``registry.service``):
  ``enterprise_type`` — ``high_tech`` when a 高新技术企业 tag is valid on any day of Y, else
  ``tech_sme`` for a valid 科技型中小企业 tag, else ``other``;
  ``high_tech_first_certified`` — the firm's earliest 高新技术企业 tag starts in Y;
  ``srdi_level`` — the highest 专精特新 level valid on any day of Y: a 专精特新“小巨人” tag is
  ``national``, a 专精特新中小企业 tag its own level (a tag recorded without a level counts as
  ``city``, the lowest, so that a data gap never overpays);
  ``srdi_newly_recognised`` — the firm's earliest tag at that level starts in Y.
* **企业库数据** (registry facts): ``rd_spending`` of Y and of Y−1 (the clause's formula derives
  the growth). Where several sources report the same year, the one recorded last wins; a missing
  year is *missing*, not zero: the firm gets the reason 缺少计算所需的数据.
* **政策数据导入** (``InputRecord``): every other yearly enterprise input of the pack that is not
  a formula (in the example pack: national and provincial grants received, whether they fund the
  same project, the 高企培育 reward and the lower-level 专精特新 reward already received). These
  come from the departments that pay them, imported as XLSX/CSV (``inputs.service.records``). A firm
  with no record reads 0 / 否.
* **Young talent** (the ``talent`` entity, monthly) is not held by the platform: the
  direct-redemption platform supplies the people, and the clause is evaluated from a file with
  ``longcheng policy batch --entity talent --month M --input FILE``.

:func:`build_columns` is pure (plain rows in, engine columns out); :func:`load_population`
reads the rows through the registry's public service functions and this module's own table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.policy.engine.compiler import VarSpec
from longcheng.policy.engine.inputs import Column
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.rules import Kind
from longcheng.policy.models import InputRecord
from longcheng.registry import service as registry_service
from longcheng.registry.service import TagRow

REGISTRY_TAGS = ("high_tech", "tech_sme", "srdi", "little_giant")
LEVEL_RANK = {"city": 1, "province": 2, "national": 3}
RANK_LEVEL = {rank: level for level, rank in LEVEL_RANK.items()}

SOURCE_TAGS = "企业库标签"
SOURCE_FACTS = "企业库数据"
SOURCE_IMPORT = "政策数据导入"
SOURCE_FORMULA = "由其他变量计算"
SOURCE_FILE = "外部文件（直兑平台等）"

REGISTRY_VARIABLES: dict[str, tuple[str, str]] = {
    "enterprise_type": (SOURCE_TAGS, "当年任一天有效的高新技术企业 / 科技型中小企业标签"),
    "high_tech_first_certified": (SOURCE_TAGS, "最早一张高新技术企业证书的起始日期在当年"),
    "srdi_level": (SOURCE_TAGS, "当年有效的最高专精特新层级（“小巨人”为国家级）"),
    "srdi_newly_recognised": (SOURCE_TAGS, "该层级最早一次认定的起始日期在当年"),
    "rd_spending": (SOURCE_FACTS, "研发投入（当年与上年；同一年度多个来源时以最后登记的为准）"),
}


@dataclass
class Population:
    """The evaluated firms in registry order and the pack's input columns for them."""

    usccs: list[str]
    names: list[str]
    districts: list[str | None]
    columns: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.usccs)


def importable_variables(pack: Pack) -> list[VarSpec]:
    """Yearly enterprise inputs the registry does not supply: imported as policy input records."""
    return [
        spec
        for spec in pack.variables.values()
        if spec.entity == "enterprise"
        and spec.formula is None
        and spec.name not in REGISTRY_VARIABLES
        and spec.type.kind in (Kind.MONEY, Kind.NUMBER, Kind.BOOL)
    ]


def variable_sources(pack: Pack) -> list[dict[str, str]]:
    """Every variable of the pack with the source it is read from, for the library page."""
    imported = {spec.name for spec in importable_variables(pack)}
    rows = []
    for spec in pack.variables.values():
        if spec.name in REGISTRY_VARIABLES:
            source, how = REGISTRY_VARIABLES[spec.name]
        elif spec.formula is not None:
            source, how = SOURCE_FORMULA, str(spec.formula)
        elif spec.name in imported:
            source, how = SOURCE_IMPORT, "由发放部门导入；无记录按 0 或“否”计"
        else:
            source, how = SOURCE_FILE, "平台不保存，按文件批量测算"
        rows.append(
            {"name": spec.name, "label": spec.label, "entity": spec.entity, "source": source, "how": how}
        )
    return rows


def clause_sources(pack: Pack, clause_id: str) -> list[str]:
    """The sources a clause's inputs come from (through formulas too), in a stable order."""
    clause = pack.clause(clause_id)
    parts = [clause.amount, *(c.test for c in clause.conditions)]
    parts += [p for e in clause.exceptions for p in (e.when, e.amount)]
    names = {name for part in parts for kind, name in part.deps if kind == "var"}
    for name in list(names):
        formula = pack.formulas.get(name)
        if formula is not None:
            names |= {dep for kind, dep in formula.deps if kind == "var"}
    by_name = {row["name"]: row["source"] for row in variable_sources(pack)}
    order = [SOURCE_TAGS, SOURCE_FACTS, SOURCE_IMPORT, SOURCE_FILE]
    found = {by_name[name] for name in names if by_name.get(name) != SOURCE_FORMULA}
    return [source for source in order if source in found]


def _overlaps(start: date, end: date | None, year: int) -> bool:
    return start <= date(year, 12, 31) and (end is None or end >= date(year, 1, 1))


def _level(tag: str, level: str | None) -> int:
    if tag == "little_giant":
        return LEVEL_RANK["national"]
    return LEVEL_RANK.get(level or "city", LEVEL_RANK["city"])


def _tag_columns(pack: Pack, rows: Mapping[str, int], tags: Iterable[TagRow], year: int) -> dict[str, Any]:
    """Tag-derived columns; ``tags`` must come oldest first (the first seen is the earliest)."""
    n = len(rows)
    high_tech, tech_sme, first_cert = (np.zeros(n, dtype=bool) for _ in range(3))
    level = np.zeros(n, dtype=np.int8)
    first_at_level: dict[tuple[int, int], int] = {}
    seen_high_tech: set[int] = set()
    for uscc, tag, tag_level, start, end in tags:
        row = rows.get(uscc)
        if row is None:
            continue
        valid = _overlaps(start, end, year)
        if tag == "high_tech":
            if row not in seen_high_tech:
                seen_high_tech.add(row)
                first_cert[row] = start.year == year
            high_tech[row] |= valid
        elif tag == "tech_sme":
            tech_sme[row] |= valid
        else:
            rank = _level(tag, tag_level)
            first_at_level.setdefault((row, rank), start.year)
            if valid and rank > level[row]:
                level[row] = rank
    newly = np.array([bool(lv) and first_at_level.get((r, int(lv))) == year for r, lv in enumerate(level)])
    return _tag_arrays(pack, high_tech, tech_sme, first_cert, level, newly.astype(bool))


def _tag_arrays(
    pack: Pack, high_tech: Any, tech_sme: Any, first_cert: Any, level: Any, newly: Any
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    if "enterprise_type" in pack.variables:
        values = pack.variables["enterprise_type"].values
        codes = np.full(len(high_tech), values.index("other"), dtype=np.int16)
        codes[tech_sme] = values.index("tech_sme")
        codes[high_tech] = values.index("high_tech")
        columns["enterprise_type"] = Column(codes)
    if "srdi_level" in pack.variables:
        values = pack.variables["srdi_level"].values
        lookup = np.array([values.index("none")] + [values.index(RANK_LEVEL[r]) for r in (1, 2, 3)])
        columns["srdi_level"] = Column(lookup[level].astype(np.int16))
    for name, array in (("high_tech_first_certified", first_cert), ("srdi_newly_recognised", newly)):
        if name in pack.variables:
            columns[name] = Column(array)
    return columns


def _fact_columns(
    rows: Mapping[str, int], facts: Mapping[tuple[str, str, int], int], year: int
) -> dict[str, Any]:
    n = len(rows)
    columns: dict[str, Any] = {}
    for at, key in ((year, "rd_spending"), (year - 1, f"rd_spending@{year - 1}")):
        values, known = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
        for uscc, row in rows.items():
            value = facts.get((uscc, "rd_spending", at))
            if value is not None:
                values[row], known[row] = value, True
        columns[key] = Column(values, None if known.all() else known)
    return columns


def _input_columns(
    pack: Pack, rows: Mapping[str, int], records: Iterable[tuple[str, str, int]]
) -> dict[str, Any]:
    specs = {spec.name: spec for spec in importable_variables(pack)}
    arrays = {
        name: np.zeros(len(rows), dtype=bool if spec.type.kind is Kind.BOOL else np.int64)
        for name, spec in specs.items()
    }
    for uscc, name, value in records:
        row = rows.get(uscc)
        if row is not None and name in arrays:
            arrays[name][row] = value
    return {name: Column(array) for name, array in arrays.items()}


def build_columns(
    pack: Pack,
    usccs: list[str],
    *,
    tags: Iterable[TagRow],
    facts: Mapping[tuple[str, str, int], int],
    records: Iterable[tuple[str, str, int]],
    year: int,
) -> dict[str, Any]:
    """Engine columns for ``usccs`` (in that order) from registry rows and input records."""
    rows = {uscc: row for row, uscc in enumerate(usccs)}
    columns: dict[str, Any] = {"uscc": np.array(usccs, dtype=str)}
    columns |= _tag_columns(pack, rows, tags, year)
    if "rd_spending" in pack.variables:
        columns |= _fact_columns(rows, facts, year)
    columns |= _input_columns(pack, rows, records)
    return columns


def input_records(
    session: Session, *, year: int, usccs: Collection[str] | None = None
) -> list[tuple[str, str, int]]:
    """``(uscc, name, value)`` of the policy input records of one year."""
    stmt = select(InputRecord.uscc, InputRecord.name, InputRecord.value).where(InputRecord.year == year)
    if usccs is not None:
        stmt = stmt.where(InputRecord.uscc.in_(sorted(usccs)))
    return [(u, n, v) for u, n, v in session.execute(stmt)]


def load_population(
    session: Session, *, actor: Actor, pack: Pack, year: int, usccs: Collection[str] | None = None
) -> Population:
    """Every enterprise in the actor's scope (or just ``usccs``) with its inputs for ``year``."""
    orgs = registry_service.org_rows(session, actor=actor, org_types=("enterprise",), usccs=usccs)
    codes = [uscc for uscc, _, _ in orgs]
    wanted = codes if usccs is not None else None
    tags = registry_service.tag_rows(session, actor=actor, tags=REGISTRY_TAGS, usccs=wanted)
    facts = registry_service.facts_table(
        session, actor=actor, kinds=("rd_spending",), years=(year, year - 1), usccs=wanted
    )
    records = input_records(session, year=year, usccs=wanted)
    columns = build_columns(pack, codes, tags=tags, facts=facts, records=records, year=year)
    return Population(codes, [name for _, name, _ in orgs], [d for _, _, d in orgs], columns)
