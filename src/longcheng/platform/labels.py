"""The platform services' words for change logs (core.changelog)."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.platform.jobs.models import STATE_LABELS

VOCABULARY = Vocabulary(
    modules={"platform": "平台服务"},
    actions={
        "platform.job.submit": "提交后台任务",
        "platform.job.start": "开始后台任务",
        "platform.job.cancel": "取消后台任务",
        "platform.job.retry": "重试后台任务",
        **{f"platform.job.{state.value}": f"后台任务{label}" for state, label in STATE_LABELS.items()},
        "platform.schedule.sync": "同步定时任务",
        "platform.schedule.enable": "启用定时任务",
        "platform.schedule.disable": "停用定时任务",
        "platform.deadline.set": "设定截止时刻任务",
        "platform.notification.send": "发送消息",
        "platform.notification.email": "发送邮件",
        "platform.notification.read": "阅读消息",
        "platform.notification.read_all": "全部消息标为已读",
        "platform.notification.read_source": "相关消息标为已读",
        "platform.notification.preference": "修改消息设置",
        "platform.import.done": "导入完成",
        "platform.demo.done": "演示数据生成完成",
    },
    entities={
        "platform_notification": "消息",
        "platform_schedule": "定时任务",
        "platform_deadline": "截止时刻任务",
        "job": "后台任务",
    },
    fields={
        "cron": "执行时间（cron）",
        "label": "名称",
        "params": "参数",
        "working_days_only": "仅工作日",
        "recipients": "收件人数",
        "enabled": "是否启用",
        "state": "状态",
        "progress": "进度",
        "error": "错误",
        "due_at": "截止时刻",
        "mode": "方式",
        "key": "任务键",
        "run_at": "执行时刻",
    },
    values={"state": {state.value: label for state, label in STATE_LABELS.items()}},
)
