"""The policy engine's words for change logs (core.changelog)."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.policy.awards.service import STATUS_LABELS
from longcheng.policy.engine.rules import Kind
from longcheng.policy.service import available_packs, get_pack

BASE = Vocabulary(
    modules={"policy": "政策兑现"},
    actions={
        "policy.run": "政策测算",
        "policy.batch.job": "批量测算（后台任务）",
        "policy.input.import": "导入测算数据",
        "policy.award.confirm": "确认兑现金额",
        "policy.award.decide": "决定兑现",
        "policy.award.withhold": "暂缓兑现",
        "policy.notification.read": "阅读政策消息",
        "policy.notification.read_all": "全部政策消息标为已读",
    },
    entities={"policy_run": "测算批次", "policy_notification": "政策消息", "policy_award": "兑现记录"},
    fields={
        "pack": "政策包",
        "period": "年度",
        "population": "测算企业数",
        "qualifying": "符合条件企业数",
        "new": "新符合",
        "dropped": "不再符合",
        "notified": "已通知",
        "previous_run": "上一批次",
        "readings": "条款解读",
        "total": "合计金额（元）",
        "clause": "条款",
        "amount": "金额（元）",
        "amount_fen": "金额",
        "note": "备注",
        "run_id": "测算批次",
        "status": "状态",
        "national_grant": "国家级资助",
        "provincial_grant": "省级资助",
        "grants_same_project": "同一项目已获资助",
    },
    values={"policy.award.confirm.status": STATUS_LABELS},
    money=frozenset({"national_grant", "provincial_grant"}),
)


def vocabulary() -> Vocabulary:
    """The base words plus every shipped pack's variables (the columns of an input import)."""
    fields: dict[str, str] = {}
    money: set[str] = set()
    values: dict[str, dict[str, str]] = {"政策条款": {}, "clause": {}}
    for pack_id in available_packs():
        pack = get_pack(pack_id)
        for clause_id, clause in pack.clauses.items():
            values["政策条款"][clause_id] = values["clause"][clause_id] = clause.title
        for name, var in pack.variables.items():
            fields.setdefault(name, var.label)
            if var.type.kind is Kind.MONEY:
                money.add(name)
            if var.value_labels:
                values[f"policy.input.import.{name}"] = dict(zip(var.values, var.value_labels, strict=False))
    return Vocabulary(
        actions=BASE.actions,
        entities=BASE.entities,
        fields={**fields, **BASE.fields},
        values={**values, **BASE.values},
        money=BASE.money | money,
        modules=BASE.modules,
    )
