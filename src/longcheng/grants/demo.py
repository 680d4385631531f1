"""Demo grants: programmes tied to policy clauses, windows closed, open and opening soon, and a
few hundred applications across the stages, from the firms the policy engine found qualifying."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.clock import utcnow
from longcheng.core.pii import masking, vault
from longcheng.grants.acceptance.progress import demo as progress_demo
from longcheng.grants.applications.models import Application, ApplicationVersion, StageEvent
from longcheng.grants.applications.service import apply
from longcheng.grants.applications.service.decide import decide
from longcheng.grants.batches import service as batches
from longcheng.grants.engine.stages import machine
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments.service import PAYEE_ACCOUNT_PURPOSE
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn
from longcheng.grants.reports import demo as reports_demo
from longcheng.grants.vouchers import demo as vouchers_demo
from longcheng.policy import service as policy_service
from longcheng.policy.runs.service import query as policy_runs
from longcheng.policy.schemas import ResultFilter
from longcheng.registry import service as registry_service

PROGRAMMES: list[dict[str, Any]] = [
    {
        "code": "RDGROWTH",
        "name": "研发投入增长奖励",
        "department": "市科技局",
        "clause": "innovation.rd_growth_reward",
    },
    {
        "code": "SRDI",
        "name": "专精特新企业奖励",
        "department": "市工信局",
        "clause": "innovation.srdi_level_reward",
        "workflow": "simple",
    },
    {
        "code": "HIGHTECH",
        "name": "高新技术企业首次认定奖励",
        "department": "市科技局",
        "clause": "innovation.high_tech_first_cert",
    },
    {
        "code": "SMARTMFG",
        "name": "智能化改造先建后补",
        "department": "市工信局",
        "clause": None,
        "payment_mode": "after_acceptance",
    },
]
PATH = [
    "submitted",
    "returned",
    "first_review",
    "second_review",
    "expert_review",
    "financial_review",
    "proposed",
    "publicised",
    "decided",
    "rejected",
]
WEIGHTS = [14, 4, 14, 10, 10, 10, 6, 6, 20, 6]
SLA = {"submitted": 3, "first_review": 10, "second_review": 10, "expert_review": 15, "financial_review": 5}
FIELDS = [
    {"code": "project", "label": "项目名称", "max_length": 100},
    {"code": "contact", "label": "联系人", "max_length": 30},
]
CHECKLIST = [
    {"code": "report", "label": "专项审计报告", "types": ["pdf"], "max_mb": 20},
    {"code": "photos", "label": "现场照片", "types": ["jpg", "png"], "max_mb": 10, "required": False},
]


def _windows(session: Session, actor: Actor, code: str, year: int) -> list[int]:
    now = utcnow()
    specs = [
        ("H1", "上半年批次", -150, -30),
        ("H2", "下半年批次", -20, 25),
        ("NEXT", "第三批（即将开始）", 3, 60),
    ]
    ids = []
    for w_code, name, start, end in specs:
        data = WindowIn.model_validate(
            {
                "code": w_code,
                "name": f"{year}年{name}",
                "fiscal_year": year,
                "opens_at": now + timedelta(days=start),
                "closes_at": now + timedelta(days=end),
                "form_fields": FIELDS,
                "checklist": CHECKLIST,
                "sla": SLA,
            }
        )
        ids.append(programmes.add_window(session, actor=actor, programme_code=code, data=data).id)
    return ids


def _candidates(
    session: Session, actor: Actor, clause: str | None, year: int, rng: random.Random
) -> list[tuple[str, str, str | None, int, str]]:
    if clause is None:
        firms = registry_service.org_rows(session, actor=actor, org_types=("enterprise",))
        return [
            (u, n, d, rng.randint(20, 200) * 1_000_000, "")
            for u, n, d in rng.sample(firms, min(80, len(firms)))
        ]
    run = policy_runs.run_for_year(session, actor=actor, year=year)
    if run is None:
        return []
    rows = policy_runs.iter_results(
        session, actor=actor, run=run, clause_id=clause, filters=ResultFilter(), limit=110
    )
    return [(r.uscc, r.org_name, r.district, r.amount_fen, r.reading) for r in rows if r.amount_fen > 0]


def _application(
    session: Session,
    actor: Actor,
    spec: dict[str, Any],
    row: tuple[str, str, str | None, int, str],
    window_ids: list[int],
    programme_id: int,
    year: int,
    rng: random.Random,
) -> Application:
    uscc, name, district, amount, reading = row
    flow = machine().workflow(spec.get("workflow", "standard")).steps
    allowed = {s for a, targets in flow.items() for s in (a, *targets)}
    stage = rng.choices(
        [p for p in PATH if p in allowed], [w for p, w in zip(PATH, WEIGHTS, strict=True) if p in allowed]
    )[0]
    account = f"62220{rng.randint(10**12, 10**13 - 1)}"
    entered = utcnow() - timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 23))
    app = Application(
        number=f"TMP{rng.random()}",
        window_id=window_ids[0] if stage != "submitted" else window_ids[rng.randint(0, 1)],
        programme_id=programme_id,
        fiscal_year=year,
        applicant_uscc=uscc,
        applicant_name=name,
        district=district,
        stage=stage,
        stage_entered_at=entered,
        requested_fen=amount,
        policy_fen=amount if spec["clause"] else None,
        policy_explanation=json.dumps(
            {"title": spec["name"], "reading": reading} if reading else {}, ensure_ascii=False
        ),
        form_data=json.dumps({"project": f"{name[:12]}项目", "contact": "联系人"}, ensure_ascii=False),
        account_token=vault.encrypt(account, purpose=PAYEE_ACCOUNT_PURPOSE),
        account_masked=masking.mask_bank_account(account),
        bank_name="江苏银行常州分行",
        pledge_at=entered,
        submitted_at=entered,
        versions=1,
        approved_fen=amount * rng.choice([8, 9, 10]) // 10
        if stage in ("proposed", "publicised", "decided")
        else None,
        return_reason="请补充专项审计报告" if stage == "returned" else "",
    )
    session.add(app)
    session.flush()
    app.number = f"SB{year}{app.id:06d}"
    session.add(
        ApplicationVersion(
            application_id=app.id,
            version=1,
            requested_fen=amount,
            form_data=app.form_data,
            submitted_at=entered,
            actor=name,
        )
    )
    session.add(
        StageEvent(application_id=app.id, from_stage="draft", to_stage="submitted", actor=name, at=entered)
    )
    return app


def _showcase(session: Session, uscc: str, window_id: int) -> None:
    """The demo firm's own 一键申报 draft in an open window, amount and reasons from the policy engine."""
    firm = Actor(id=None, username="firm", role=Role.enterprise, display_name="演示企业", org_uscc=uscc)
    apply.start(session, actor=firm, window_id=window_id)


def seed(
    session: Session, *, actor: Actor, seed: int = 2026, showcase_uscc: str | None = None
) -> dict[str, int]:
    """Programmes, budgets, windows, applications; decided ones committed (and payable) in the ledger."""
    rng = random.Random(seed)
    year = policy_service.default_year(policy_service.get_pack())
    counts = {"programmes": 0, "applications": 0, "decided": 0}
    seen: dict[str, str] = {}
    for spec in PROGRAMMES:
        programme = programmes.create(
            session,
            actor=actor,
            data=ProgrammeIn.model_validate(
                {
                    "code": spec["code"],
                    "name": spec["name"],
                    "department": spec["department"],
                    "policy_clause": spec["clause"],
                    "payment_mode": spec.get("payment_mode", "immediate"),
                    "workflow": spec.get("workflow", "standard"),
                    "contact": f"{spec['department']} 0519-8568xxxx",
                    "guide": f"{spec['name']}申报指南：\n一、支持对象\n二、支持标准（以政策条款为准）\n"
                    "三、申报材料\n四、办理流程",
                }
            ),
        )
        rows = _candidates(session, actor, spec["clause"], year, rng)
        seen.update((r[0], r[1]) for r in rows if r[0] != showcase_uscc)
        total = sum(r[3] for r in rows)
        ledger.set_budget(
            session,
            actor=actor,
            programme_code=programme.code,
            fiscal_year=year,
            amount_fen=max(total, 10**8),
        )
        window_ids = _windows(session, actor, programme.code, year)
        if showcase_uscc and spec["code"] == "RDGROWTH":
            rows = [r for r in rows if r[0] != showcase_uscc]
            _showcase(session, showcase_uscc, window_ids[1])
        for row in rows:
            app = _application(session, actor, spec, row, window_ids, programme.id, year, rng)
            if app.stage == "decided":
                app.stage = "publicised"
                app.stage_entered_at = utcnow() - timedelta(days=30)  # the 公示 period is over
                decide(session, actor=actor, app=app)
                counts["decided"] += 1
            counts["applications"] += 1
        counts["programmes"] += 1
    if counts["decided"]:
        batches.create_batch(session, actor=actor)
    counts["vouchers"] = vouchers_demo.seed(session, actor=actor, year=year, firms=sorted(seen.items()))
    counts["progress_reports"] = progress_demo.seed(session, actor=actor, rng=rng)
    counts["outcome_facts"] = reports_demo.seed(session, actor=actor, year=year, rng=rng)
    return counts
