"""Job kind of grants' notices: ``grants.window_reminders`` (daily, see platform/data/schedules.yaml)
tells subscribed firms that a window opens within 3 days or closes within 3 days, once each."""

from __future__ import annotations

from longcheng.grants.notices import service
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER

WINDOW_REMINDERS = "grants.window_reminders"


def window_reminders(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        written = service.remind_windows(session, actor=WORKER)
    ctx.progress(100, f"已发送 {written} 条申报窗口提醒")


def register_kinds() -> None:
    kinds.register(WINDOW_REMINDERS, window_reminders, label="申报窗口开放与截止提醒")
