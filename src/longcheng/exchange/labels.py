"""The exchange's words for change logs (core.changelog); its audit records already use Chinese keys."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.exchange.ledger.service import KIND_LABELS
from longcheng.exchange.listings.service import STATUS_LABELS

VOCABULARY = Vocabulary(
    modules={"exchange": "产权交易"},
    actions={
        "exchange.institution.create": "新建交易机构",
        "exchange.member.create": "新建会员",
        "exchange.member.update": "修改会员",
        "exchange.bidder.enrol": "登记竞买人",
        "exchange.bidder.signup": "竞买人自助注册",
        "exchange.member.operator": "绑定会员经办人",
        "exchange.mandate.create": "登记客户委托授权",
        "exchange.mandate.revoke": "撤销客户委托授权",
        "exchange.listing.create": "新建挂牌项目",
        **{f"exchange.listing.{status}": f"挂牌项目转为{label}" for status, label in STATUS_LABELS.items()},
        "exchange.registration.create": "报名竞买",
        "exchange.registration.review": "竞买资格审核",
        **{f"exchange.ledger.{kind}": f"保证金{label}" for kind, label in KIND_LABELS.items()},
        "exchange.bid": "出价",
        "exchange.lot.close": "竞价结束",
        "exchange.lot.paid": "付清价款",
        "exchange.lot.default": "买受人违约",
        "exchange.lot.deliver": "交割",
        "exchange.identities.denied": "竞价结束前查看竞买人身份被拒绝",
    },
    entities={
        "exchange_institution": "交易机构",
        "exchange_member": "会员",
        "exchange_mandate": "客户委托授权",
        "exchange_bidder": "竞买人",
        "exchange_listing": "挂牌项目",
        "exchange_registration": "竞买报名",
        "exchange_ledger_entry": "保证金",
        "exchange_lot": "竞价标的",
    },
)
