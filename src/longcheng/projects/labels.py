"""Projects' words for change logs (core.changelog): actions, fields, stages, plan nodes."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.projects.schedule.plans import load_templates
from longcheng.projects.schedule.stages import STAGE_LABELS
from longcheng.projects.vocab import programmes, project_types


def _node_fields() -> dict[str, str]:
    return {node.code: node.name for t in load_templates().values() for node in t.nodes}


def _stages() -> dict[str, str]:
    return {stage.value: label for stage, label in STAGE_LABELS.items()}


def _programmes() -> dict[str, str]:
    return {code: p.name for code, p in programmes().items()}


ACTIONS = {
    "projects.project.create": "新建项目",
    "projects.project.update": "修改项目",
    "projects.stage.change": "变更项目阶段",
    "projects.plan.create": "编制推进计划",
    "projects.plan.revise": "调整推进计划",
    "projects.plan.node_done": "完成计划节点",
    "projects.investment.set": "填报年度投资计划",
    "projects.fx.set": "设定汇率",
    "projects.ceremony": "集中签约/开工/竣工活动",
    "projects.lights.recompute": "刷新项目状态灯",
    "projects.thresholds.update": "修改状态灯阈值",
    "projects.order.issue": "下发督办单",
    "projects.order.reply": "回复督办单",
    "projects.evidence.propose": "新闻线索关联项目（待确认）",
    "projects.evidence.accept": "确认新闻线索",
    "projects.evidence.reject": "否决新闻线索",
    "projects.lead.propose": "新闻发现潜在项目",
    "projects.lead.convert": "线索转为项目",
    "projects.lead.dismiss": "忽略线索",
}
FIELDS = {
    "code": "项目编号",
    "stage": "阶段",
    "project_type": "项目类型",
    "total_investment_fen": "总投资",
    "agreed_investment_fen": "协议投资",
    "expected_output_fen": "预计产值",
    "expected_tax_fen": "预计税收",
    "expected_jobs": "预计就业",
    "monthly_plan_fen": "月度投资计划",
    "stated_total": "原文总投资",
    "stated_agreed": "原文协议投资",
    "fx_rate_micro": "汇率（百万分之一）",
    "fx_rate_on": "汇率日期",
    "land_centi_mu": "用地（百分之一亩）",
    "cooperation": "合作项目",
    "partner_region": "结对地区",
    "investors": "投资方",
    "lists": "重大项目名单",
    "people": "联系人与专班",
    "leader_name": "挂钩领导",
    "responsible_unit": "责任单位",
    "summary": "项目概况",
    "warnings": "提示",
    "lead_on": "线索日期",
    "negotiating_on": "洽谈日期",
    "signed_on": "签约日期",
    "registered_on": "注册日期",
    "started_on": "开工日期",
    "completed_on": "竣工日期",
    "producing_on": "投产日期",
    "at_capacity_on": "达产日期",
    "held_on": "举行日期",
    "projects": "项目",
    "demand": "督办要求",
    "number": "编号",
    "reply_due": "回复期限",
    "subject": "事由",
    "reply": "回复",
    "cue": "线索原文",
    "evidence": "证据",
    "score": "匹配分",
    "orgs": "涉及企业",
    "changed": "变化数",
    "green": "绿灯",
    "yellow": "黄灯",
    "red": "红灯",
    "today": "日期",
}


def vocabulary() -> Vocabulary:
    """Built on first use: plan node names come from the packaged plan templates."""
    return Vocabulary(
        modules={"projects": "重大项目"},
        actions=ACTIONS,
        entities={"projects": "项目", "project": "项目"},
        fields={**FIELDS, **_node_fields()},
        values={"stage": _stages, "project_type": project_types, "cooperation": _programmes},
        money=frozenset({"stated_total", "stated_agreed"}),
    )
