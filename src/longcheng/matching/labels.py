"""The matching module's words for change logs (core.changelog)."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary

VOCABULARY = Vocabulary(
    modules={"matching": "揭榜挂帅与产学研对接"},
    actions={
        "matching.challenge.publish": "发布榜单",
        "matching.agreement.accept": "接受揭榜协议",
        "matching.proposal.submit": "提交揭榜申请",
        "matching.proposal.select": "确定揭榜方",
        "matching.capability.create": "登记成果",
        "matching.capability.import": "导入成果",
        "matching.pair.suggest": "生成推荐对接",
        "matching.contract.create": "签订揭榜合同",
        "matching.milestone.accept": "里程碑验收",
        "matching.pair.decide": "处理推荐对接",
        "matching.pair.introduce": "引荐对接双方",
        "matching.pair.advance": "更新对接进展",
    },
    values={
        "decision": {"suggested": "待处理", "accepted": "已采纳", "dismissed": "已忽略"},
        "outcome": {
            "none": "无",
            "introduced": "已引荐",
            "meeting": "已对接洽谈",
            "agreement": "已达成意向",
            "contract": "已签技术合同",
        },
    },
    entities={
        "matching.challenge": "榜单",
        "matching.capability": "成果",
        "matching.pair": "推荐对接",
        "matching.contract": "揭榜合同",
    },
    fields={
        "title": "标题",
        "field": "技术领域",
        "budget_fen": "榜额",
        "deadline": "截止时间",
        "agreement_version": "协议版本",
        "proposal": "揭榜方案",
        "solver": "揭榜方",
        "feedback_count": "反馈份数",
        "org_name": "单位名称",
        "count": "条数",
        "decision": "处理结果",
        "outcome": "对接进展",
        "contract_fen": "合同金额",
        "amount_fen": "金额",
        "milestone": "里程碑",
    },
)
