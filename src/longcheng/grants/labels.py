"""Grants' words for change logs (core.changelog); its audit records already use Chinese keys."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary

VOCABULARY = Vocabulary(
    modules={"grants": "兑现一网办"},
    actions={
        "grants.programme.create": "新建专项",
        "grants.window.create": "新建申报批次",
        "grants.application.start": "开始申报",
        "grants.application.upload": "上传申报材料",
        "grants.application.amount": "核定金额",
        "grants.application.stage": "申报阶段流转",
        "grants.objection.lodge": "提出公示异议",
        "grants.objection.reply": "答复公示异议",
        "grants.ledger.post": "预算台账记账",
        "grants.payable.create": "生成应付款",
        "grants.batch.create": "生成支付批次",
        "grants.batch.approve": "审批支付批次",
        "grants.batch.return": "导入银行回单",
        "grants.acceptance.open": "生成验收任务",
        "grants.acceptance.upload": "上传验收材料",
        "grants.acceptance.submit": "提交验收申请",
        "grants.acceptance.inspect": "记录现场验收",
        "grants.acceptance.release_commitment": "验收不通过，释放承诺资金",
        "grants.progress.plan": "设置进度报告周期",
        "grants.progress.schedule": "安排进度报告",
        "grants.progress.upload": "上传进度报告附件",
        "grants.progress.submit": "提交进度报告",
        "grants.progress.review": "审核进度报告",
        "grants.payee.correct": "更正收款账户",
        "grants.provider.register": "登记服务机构",
        "grants.provider.decide": "审核服务机构",
        "grants.voucher.issue": "发放创新券",
        "grants.voucher.redeem": "兑用创新券",
        "grants.voucher.claim": "服务机构申请兑付",
        "grants.voucher.approve": "核准创新券兑付",
        "grants.audit.draw": "抽取审计样本",
        "grants.audit.finding": "记录审计发现",
    },
    entities={
        "grants_programme": "专项",
        "grants_application": "申报",
        "grants_batch": "支付批次",
        "grants_ledger": "预算台账",
        "grants_payable": "应付款",
        "grants_acceptance": "先建后补验收",
        "grants_voucher": "创新券",
        "grants_provider": "服务机构",
        "grants_audit": "审计抽查",
    },
)
