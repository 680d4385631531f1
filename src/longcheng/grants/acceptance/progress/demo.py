"""Demo progress reports: some first reports of the 先建后补 tasks written, accepted or sent back."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.grants.acceptance.models import AcceptanceTask
from longcheng.grants.acceptance.progress import service
from longcheng.grants.acceptance.progress.schemas import ReportIn, ReviewIn
from longcheng.grants.applications.models import Application

TEXTS = (
    "厂房改造已完成，智能产线设备到货 70%，已完成安装调试 3 台套，累计投入 420 万元。",
    "MES 系统上线试运行，数据采集覆盖 12 台关键设备，项目累计完成投资的 55%。",
    "工业机器人工作站安装完毕，正在联调；因供应商交期延误，进度比计划滞后约两周。",
)


def seed(session: Session, *, actor: Actor, rng: random.Random) -> int:
    """Write the first report of about two thirds of the tasks; returns the reports touched."""
    stmt = (
        select(Application.number, Application.applicant_uscc)
        .join(AcceptanceTask, AcceptanceTask.application_id == Application.id)
        .order_by(Application.id)
    )
    touched = 0
    for number, uscc in session.execute(stmt).all():
        fate = rng.choices(["due", "submitted", "accepted", "returned"], [3, 3, 3, 2])[0]
        if fate == "due":
            continue
        firm = Actor(id=None, username="firm", role=Role.enterprise, display_name="企业填报人", org_uscc=uscc)
        service.submit(session, actor=firm, number=number, seq=1, data=ReportIn(body=rng.choice(TEXTS)))
        if fate != "submitted":
            note = "" if fate == "accepted" else "请补充设备购置发票和现场照片。"
            review = ReviewIn(decision="accept" if fate == "accepted" else "return", note=note)
            service.review(session, actor=actor, number=number, seq=1, data=review)
        touched += 1
    return touched
