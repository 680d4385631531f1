"""The monthly 直兑 run: every person evaluated with the policy engine, compared, stored, notified.

Inputs per person for month M (the clause ``talent.young_talent_living``): degree (专科 reads as
"other"), age in full years on the first day of M (from the ID's birth date), months in the city
counted from the start month to M inclusive, and social insurance paid in M — which is false when
the person has left the employer before M ends. The engine evaluates all people at once on
numpy columns, exact to the fen; the stored inputs let any result be explained again exactly.
The diff is against the latest run of an earlier month; payment lines follow (``payments``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import append_rows
from longcheng.core.errors import NotFound
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source
from longcheng.policy import service as policy_service
from longcheng.policy.engine.batch import evaluate_columns, reason_text
from longcheng.policy.engine.periods import parse_period
from longcheng.talent import permissions as perm
from longcheng.talent.models import Person, Result, Run, SocialInsurance
from longcheng.talent.service import payments, sources
from longcheng.talent.service.errors import StaleSources

CLAUSE = "talent.young_talent_living"
ENTITY = "talent_run"
REASONS = {
    "left_employer": "已离开原用人单位",
    "si_gap": "当月在常社保缴费中断",
    "condition:within_duration": "已超过来常就业36个月的发放期限",
    "condition:age_limit": "年龄已超过35周岁",
    "condition:degree_eligible": "学历不符合（须本科及以上）",
}


@dataclass
class Population:
    person_ids: np.ndarray
    user_ids: list[int | None]
    columns: dict[str, Any]
    left: np.ndarray  # left the employer before the month ended


def _months_between(start: date, month_first: date) -> int:
    return (month_first.year - start.year) * 12 + month_first.month - start.month + 1


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def load_population(session: Session, month: str) -> Population:
    """The engine's columns for every person, read in one pass."""
    first = sources.month_start(month)
    end = sources.month_start(sources.next_month(month))
    paid = set(
        session.scalars(
            select(SocialInsurance.person_id).where(
                SocialInsurance.month == month, SocialInsurance.paid.is_(True)
            )
        )
    )
    rows = session.execute(
        select(
            Person.id, Person.user_id, Person.birth_date, Person.degree, Person.start_date, Person.left_date
        ).order_by(Person.id)
    ).all()
    ids_, users, degree, age, months, si, left = [], [], [], [], [], [], []
    for pid, uid, birth, deg, start, left_date in rows:
        gone = left_date is not None and left_date < end
        ids_.append(pid)
        users.append(uid)
        degree.append(deg if deg in ("bachelor", "master", "doctor") else "other")
        age.append(_age(birth, first))
        months.append(_months_between(start, first) if start is not None and start < end else 0)
        si.append(pid in paid and not gone)
        left.append(gone)
    columns = {
        "person_id": np.array([str(i) for i in ids_], dtype=object),
        "degree": np.array(degree, dtype=object),
        "age": np.array(age, dtype=np.int64),
        "months_in_city": np.array(months, dtype=np.int64),
        "social_insurance_paid": np.array(si, dtype=bool),
    }
    return Population(np.array(ids_, dtype=np.int64), users, columns, np.array(left, dtype=bool))


def _reasons(pack: Any, outcome: Any, left: np.ndarray) -> list[str]:
    codes = [outcome.reason_codes[int(i)] for i in outcome.reason]
    return [
        ("left_employer" if gone else "si_gap") if c == "condition:social_insurance" else c
        for c, gone in zip(codes, left.tolist(), strict=True)
    ]


def reason_label(code: str) -> str:
    if code in REASONS:
        return REASONS[code]
    return reason_text(policy_service.get_pack(), CLAUSE, code)


def _previous(session: Session, month: str) -> Run | None:
    return session.scalar(
        select(Run).where(Run.month < month).order_by(Run.month.desc(), Run.id.desc()).limit(1)
    )


def run_month(session: Session, *, actor: Actor, month: str, key: str) -> Run:
    """Evaluate, diff, store, notify and write payment lines for ``month`` (once per ``key``)."""
    require(actor, perm.RUN)
    done = session.scalar(select(Run).where(Run.key == key))
    if done is not None:
        return done
    stale = sources.stale_for(session, month)
    if stale:
        raise StaleSources("数据源未更新，本月直兑计算未执行：" + "；".join(stale) + "。请先导入最新数据。")
    pack = policy_service.get_pack()
    period = policy_service.check_period(pack, parse_period(month))
    population = load_population(session, month)
    result = evaluate_columns(pack, population.columns, period, entity="talent", clauses=[CLAUSE])
    outcome = result.outcomes[CLAUSE]
    reasons = _reasons(pack, outcome, population.left)
    previous = _previous(session, month)
    before = _previous_results(session, previous)
    run = Run(
        month=month,
        key=key,
        population=len(population.person_ids),
        previous_id=previous.id if previous else None,
        actor=actor.label,
        finished_at=utcnow(),
    )
    session.add(run)
    session.flush()
    changes = _store_results(session, run, population, outcome, reasons, before)
    run.notified = _notify(session, actor, run, population, changes, reasons)
    run.payment_lines = payments.settle(session, actor=actor, run=run)
    audit.record(
        session,
        actor=actor,
        action="talent.run",
        entity_type=ENTITY,
        entity_id=run.id,
        after={
            "month": month,
            "qualifying": run.qualifying,
            "total_fen": run.total_fen,
            "new": run.new_count,
            "stopped": run.stopped_count,
        },
    )
    return run


def _previous_results(session: Session, previous: Run | None) -> dict[int, tuple[bool, int]]:
    if previous is None:
        return {}
    rows = session.execute(
        select(Result.person_id, Result.qualifies, Result.amount_fen).where(Result.run_id == previous.id)
    )
    return {pid: (q, amt) for pid, q, amt in rows}


def _store_results(
    session: Session,
    run: Run,
    pop: Population,
    outcome: Any,
    reasons: list[str],
    before: dict[int, tuple[bool, int]],
) -> dict[str, list[int]]:
    qualifies, amounts = outcome.qualifies.tolist(), outcome.amount_fen.tolist()
    cols = pop.columns
    changes: dict[str, list[int]] = defaultdict(list)
    rows = []
    for i, pid in enumerate(pop.person_ids.tolist()):
        was_q, was_amt = before.get(pid, (False, 0))
        change = ""
        if qualifies[i] and not was_q:
            change = "new"
        elif was_q and not qualifies[i]:
            change = "stopped"
        elif qualifies[i] and amounts[i] != was_amt:
            change = "changed"
        if change:
            changes[change].append(i)
        rows.append(
            {
                "run_id": run.id,
                "person_id": pid,
                "degree": cols["degree"][i],
                "age": int(cols["age"][i]),
                "months_in_city": int(cols["months_in_city"][i]),
                "si_paid": bool(cols["social_insurance_paid"][i]),
                "qualifies": bool(qualifies[i]),
                "amount_fen": int(amounts[i]),
                "reason": reasons[i],
                "change": change,
            }
        )
    append_rows(session, Result, rows)
    run.qualifying = int(outcome.qualifies.sum())
    run.total_fen = int(outcome.amount_fen.sum())
    run.new_count, run.stopped_count, run.changed_count = (
        len(changes["new"]),
        len(changes["stopped"]),
        len(changes["changed"]),
    )
    return changes


def _notify(
    session: Session,
    actor: Actor,
    run: Run,
    pop: Population,
    changes: dict[str, list[int]],
    reasons: list[str],
) -> int:
    """One message per group of people with the same news (new at a degree, stopped for a reason)."""
    amounts = pop.columns
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for kind in ("new", "stopped"):
        for i in changes.get(kind, []):
            uid = pop.user_ids[i]
            if uid is not None:
                detail = amounts["degree"][i] if kind == "new" else reasons[i]
                groups[(kind, detail)].append(uid)
    sent = 0
    for (kind, detail), users in sorted(groups.items()):
        if kind == "new":
            title = f"您已符合青年人才生活补贴条件（{run.month}）"
            body = (
                "系统根据人社、学历和用人单位数据核验，您本月符合青年人才生活补贴条件，无需申请。"
                "首次发放前请在个人页面完成实名和银行账号确认。"
            )
        else:
            title = f"青年人才生活补贴自 {run.month} 起停止发放"
            body = f"停止原因：{reason_label(detail)}。如有异议，请在个人页面提出更正申请。"
        rows = notifications.notify(
            session,
            actor=actor,
            recipients=Recipients(user_ids=tuple(users)),
            kind=f"talent.{kind}",
            title=title,
            body=body,
            link="/talent/me",
            source=Source(module="talent", entity_type=ENTITY, entity_id=str(run.id)),
            dedupe_key=f"talent:{run.month}:{kind}:{detail}",
        )
        sent += len(rows)
    return sent


def get_run(session: Session, *, actor: Actor, run_id: int) -> Run:
    require(actor, perm.READ)
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound("未找到该直兑批次。", code="talent.run_not_found")
    return run


def list_runs(session: Session, *, actor: Actor) -> list[Run]:
    require(actor, perm.READ)
    return list(session.scalars(select(Run).order_by(Run.id.desc()).limit(120)))


def results_of(session: Session, *, actor: Actor, person_id: int) -> list[tuple[Run, Result]]:
    """A person's results, newest month first (for their page and the officer's)."""
    rows = session.execute(
        select(Run, Result)
        .join(Result, Result.run_id == Run.id)
        .where(Result.person_id == person_id)
        .order_by(Run.month.desc(), Run.id.desc())
        .limit(60)
    )
    return [(r, res) for r, res in rows.all()]


def explain_result(actor: Actor, run: Run, result: Result) -> dict[str, Any]:
    """The engine's full explanation of one stored result, from the inputs it read."""
    inputs: dict[str, str | int | bool] = {
        "degree": result.degree,
        "age": result.age,
        "months_in_city": result.months_in_city,
        "social_insurance_paid": result.si_paid,
    }
    data = policy_service.evaluate(
        actor=actor, clause_id=CLAUSE, period=parse_period(run.month), inputs=inputs
    )
    data["reason_label"] = "符合条件" if result.qualifies else reason_label(result.reason)
    return data
