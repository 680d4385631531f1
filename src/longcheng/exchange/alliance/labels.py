"""The alliance's and e-tendering's words for change logs (core.changelog); audit fields are Chinese."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary

VOCABULARY = Vocabulary(
    actions={
        "exchange.alliance.rules.propose": "提出交易规则修订",
        "exchange.alliance.rules.review": "审核交易规则修订",
        "exchange.alliance.override": "调整本机构交易规则",
        "exchange.alliance.profile": "修改机构门户与结算账户",
        "exchange.tender.create": "发布招标项目",
        "exchange.tender.document": "发布招标文件或答疑",
        "exchange.tender.register": "投标报名并交纳投标保证金",
        "exchange.tender.bid": "递交密封投标文件",
        "exchange.tender.share_collect": "领取开标密钥分片",
        "exchange.tender.share_present": "出示开标密钥分片",
        "exchange.tender.open_refused": "开标未成（分片不足）",
        "exchange.tender.open": "开标",
        "exchange.tender.publicity": "公示中标候选人",
        "exchange.tender.objection": "提出异议",
        "exchange.tender.objection_reply": "答复异议",
        "exchange.tender.award": "确定中标人",
        "exchange.tender.panel_draw": "抽取评标专家",
        "exchange.tender.evaluate": "专家评标打分",
        "exchange.tender.round": "进入下一轮报价",
        "exchange.tender.judge": "认定报价是否符合采购需求",
        "exchange.tender.panel_replace": "补抽评标专家",
        "exchange.alliance.fee": "收取佣金并分配",
        "exchange.ledger.fee": "账簿：收取佣金",
        "exchange.risk.review": "处理风险信号",
    },
    entities={
        "exchange.rule_version": "交易规则版本",
        "exchange.institution": "交易机构",
        "exchange.tender": "招标项目",
        "exchange.risk_signal": "风险信号",
        "exchange.fee_charge": "佣金",
    },
)
