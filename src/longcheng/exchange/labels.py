"""The exchange's words for change logs (core.changelog): the trading core's actions and objects.

The alliance and e-tendering words are in ``alliance/labels.py``; audit fields are written in
Chinese already, so only the few code-named ones are listed here.
"""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.exchange.ledger.service import KIND_LABELS
from longcheng.exchange.listings.service import STATUS_LABELS

_ACTIONS = {
    "exchange.bid": "竞价出价",
    "exchange.bidder.enrol": "登记竞买人",
    "exchange.identities.denied": "查看竞买人身份被拒",
    "exchange.institution.create": "新建交易机构",
    "exchange.member.create": "新增会员机构",
    "exchange.listing.create": "新建挂牌项目",
    "exchange.lot.close": "竞价结束",
    "exchange.lot.default": "买受人违约处理",
    "exchange.lot.deliver": "登记交割",
    "exchange.lot.paid": "余款支付",
    "exchange.registration.create": "报名竞买",
    "exchange.registration.review": "资格审核",
}

VOCABULARY = Vocabulary(
    modules={"exchange": "产权交易"},
    actions={
        **_ACTIONS,
        **{f"exchange.listing.{code}": f"挂牌项目转为{label}" for code, label in STATUS_LABELS.items()},
        **{f"exchange.ledger.{kind}": f"保证金{label}" for kind, label in KIND_LABELS.items()},
    },
    entities={
        "exchange_listing": "挂牌项目",
        "exchange_lot": "竞价标的",
        "exchange_registration": "报名",
        "exchange_ledger_entry": "保证金记账",
        "exchange_bidder": "竞买人",
        "exchange_institution": "交易机构",
        "exchange_member": "会员机构",
    },
    fields={
        "bidder_no": "竞买号",
        "delivered": "已交割",
        "name": "名称",
        "runner_up": "递补竞买人",
        # platform.deadline.set (the lot-close and refund deadlines the exchange schedules)
        "kind": "任务类型",
        "key": "任务标识",
        "run_at": "执行时间",
    },
)
