"""Where inputs come from (registry-backed columns) and the import of policy-owned inputs:
all or nothing, scoped, audited.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.policy.support import YEAR, firm, rd, yuan

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.policy import service
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.inputs.service.sources import build_columns
from longcheng.policy.models import InputRecord
from longcheng.policy.runs.service import run_registry_batch

OFFICER = Actor(id=None, username="o", role=Role.officer, display_name="市级", district=None)


XINBEI = Actor(id=None, username="x", role=Role.officer, display_name="新北", district="xinbei")


MAX = 5 * 1024 * 1024


class TestRegistryColumns:
    """How registry tags become the pack's inputs for a year (pure, no database)."""

    def _columns(self, tags: list[tuple[str, str, str | None, date, date | None]]) -> dict[str, object]:
        pack = service.get_pack()
        return build_columns(pack, ["A"], tags=tags, facts={}, records=[], year=YEAR)

    def _enum(self, columns: dict[str, object], name: str) -> str:
        spec = service.get_pack().variables[name]
        return spec.values[int(columns[name].values[0])]  # type: ignore[attr-defined]

    def test_a_tag_valid_on_any_day_of_the_year_counts(self) -> None:
        """A 高新技术企业 certificate that expired in March 2025 still makes the firm high-tech for 2025."""
        columns = self._columns([("A", "high_tech", "national", date(2022, 3, 1), date(2025, 2, 28))])
        assert self._enum(columns, "enterprise_type") == "high_tech"
        expired = self._columns([("A", "high_tech", "national", date(2020, 1, 1), date(2022, 12, 31))])
        assert self._enum(expired, "enterprise_type") == "other"

    def test_high_tech_wins_over_tech_sme(self) -> None:
        """A firm holding both labels reads as 高新技术企业; one with only 科技型中小企业 as that."""
        both = [
            ("A", "tech_sme", "national", date(2025, 1, 1), date(2025, 12, 31)),
            ("A", "high_tech", "national", date(2025, 5, 1), None),
        ]
        assert self._enum(self._columns(both), "enterprise_type") == "high_tech"
        assert self._enum(self._columns(both[:1]), "enterprise_type") == "tech_sme"

    def test_first_certification_is_the_earliest_certificate(self) -> None:
        """A renewal in 2025 is not a first certification; a first certificate in 2025 is."""
        renewal = [
            ("A", "high_tech", "national", date(2022, 5, 1), date(2025, 4, 30)),
            ("A", "high_tech", "national", date(2025, 5, 1), None),
        ]
        assert not self._columns(renewal)["high_tech_first_certified"].values[0]  # type: ignore[attr-defined]
        first = self._columns(renewal[1:])
        assert first["high_tech_first_certified"].values[0]  # type: ignore[attr-defined]

    def test_srdi_level_is_the_highest_and_little_giant_is_national(self) -> None:
        """小巨人 is the national level; a newly reached level is flagged; a level-less tag is city."""
        tags = [
            ("A", "srdi", "province", date(2023, 1, 1), None),
            ("A", "little_giant", "national", date(2025, 7, 1), None),
        ]
        columns = self._columns(tags)
        assert self._enum(columns, "srdi_level") == "national"
        assert columns["srdi_newly_recognised"].values[0]  # type: ignore[attr-defined]
        levelless = self._columns([("A", "srdi", None, date(2021, 1, 1), None)])
        assert self._enum(levelless, "srdi_level") == "city"
        assert not levelless["srdi_newly_recognised"].values[0]  # type: ignore[attr-defined]

    def test_missing_rd_year_is_unknown_not_zero(self) -> None:
        """Without last year's R&D figure the firm's row is marked unknown, so nobody is paid on a gap."""
        pack = service.get_pack()
        facts = {("A", "rd_spending", YEAR): 100}
        columns = build_columns(pack, ["A", "B"], tags=[], facts=facts, records=[], year=YEAR)
        known = columns[f"rd_spending@{YEAR - 1}"].known  # type: ignore[attr-defined]
        assert known is not None
        assert not np.any(known)


class TestInputImport:
    def _csv(self, tmp_path: Path, rows: list[str]) -> Path:
        path = tmp_path / "inputs.csv"
        header = ",".join(
            [
                "统一社会信用代码",
                "年度",
                "当年获得国家级科技项目资助（元）",
                "国家级与省级资助为同一项目（是/否）",
                "数据来源",
            ]
        )
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    def test_a_good_file_is_written_and_audited(self, session: Session, tmp_path: Path) -> None:
        """Amounts in 元 (including 50万) are stored in fen; each firm-year gets one audit record."""
        a, b = firm(session, growth=None), firm(session, growth=None)
        path = self._csv(tmp_path, [f"{a.uscc},2025,50万,否,科技部", f'{b.uscc},2025,"1,234.56",是,科技部'])
        report = input_records.run_import(session, actor=OFFICER, path=path, max_bytes=MAX)
        assert report.ok
        assert report.written == 2
        values = dict(
            session.execute(
                select(InputRecord.uscc, InputRecord.value).where(InputRecord.name == "national_grant")
            ).all()
        )
        assert values == {a.uscc: yuan("500,000"), b.uscc: yuan("1,234.56")}
        assert [r.action for r in audit.history(session, entity_type="org", entity_id=a.uscc)][0] == (
            "policy.input.import"
        )

    def test_any_bad_cell_writes_nothing_and_every_error_is_listed(
        self, session: Session, tmp_path: Path
    ) -> None:
        """Scientific notation, an unregistered firm and a year outside the policy: three errors, no rows."""
        a = firm(session, growth=None)
        path = self._csv(
            tmp_path,
            [f"{a.uscc},2025,1.2e8,否,", "91320411MA1XXXXXX5,2025,100,否,", f"{a.uscc},2019,100,否,"],
        )
        report = input_records.run_import(session, actor=OFFICER, path=path, max_bytes=MAX)
        assert not report.ok
        columns = {(e.line, e.column) for e in report.errors}
        assert (2, "当年获得国家级科技项目资助（元）") in columns
        assert any(line == 3 and col == "统一社会信用代码" for line, col in columns)
        assert (4, "年度") in columns
        assert session.scalar(select(func.count(InputRecord.id))) == 0

    def test_district_officer_cannot_import_for_another_district(
        self, session: Session, tmp_path: Path
    ) -> None:
        """A 新北区 officer's file naming a 武进区 firm is refused for that row."""
        other = firm(session, district="wujin", growth=None)
        report = input_records.run_import(
            session, actor=XINBEI, path=self._csv(tmp_path, [f"{other.uscc},2025,100,否,"]), max_bytes=MAX
        )
        assert [e.message for e in report.errors] == [f"{other.uscc} 不在您所辖区域内，无权导入"]

    def test_imported_input_changes_the_next_run(self, session: Session) -> None:
        """A grant imported after a run makes the firm newly qualify for matching in the next run."""
        org = firm(session, growth=None)
        rd(session, org, {YEAR: "1"})
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        row = input_records.ParsedInput(2, org.uscc, YEAR, {"national_grant": yuan("2,000,000")}, "科技部")
        input_records.write_inputs(session, actor=OFFICER, rows=[row])
        second, _ = run_registry_batch(session, actor=OFFICER, year=YEAR)
        assert second.new_count == 1
