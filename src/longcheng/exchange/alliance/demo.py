"""Demo data of Exchange II: an approved rulebook version, a member override, an open tender,
members' portal branding, and the commission charged on the demo's sold lots."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.clock import local_today, utcnow
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import fees, service
from longcheng.exchange.tendering import service as tendering
from longcheng.exchange.tendering.schemas import DocumentIn, TenderIn

NOTICE = (
    "招标公告：常州市新北区机关事务管理局就智慧园区视频监控设备采购项目进行公开招标。"
    "投标人须具备独立法人资格，近三年有同类项目业绩。投标文件须在截止时间前通过平台密封递交，"
    "开标时由开标人出示密钥分片后统一解密。"
)


def seed(session: Session, *, actor: Actor, officers: list[str]) -> None:
    """A reviewed rule version, 苏州's own disclosure period, and a tender open for sealed bids."""
    service.propose(
        session,
        actor=actor,
        version="2026.2",
        effective_from=local_today() + timedelta(days=30),
        changes={"classes": {"vehicle": {"disclosure_days": 10}}},
        note="车辆类披露期延长至 10 个自然日",
    )
    service.review(session, actor=actor, version="2026.2", approve=True, note="经联盟秘书处审议通过")
    service.set_override(
        session, actor=actor, institution_code="SZ", asset_class="", key="countdown_seconds", value=300
    )
    now = utcnow()
    data = TenderIn(
        title="新北区智慧园区视频监控设备采购",
        purchaser_name="常州市新北区机关事务管理局",
        budget="2800000",
        security="50000",
        officers=officers,
        threshold=min(2, len(officers)),
        deadline=now + timedelta(days=20),
        opening_at=now + timedelta(days=20, hours=1),
        notice=NOTICE,
        institution_code="CZ",
    )
    tender = tendering.create(session, actor=actor, data=data)
    tendering.publish_document(
        session,
        actor=actor,
        code=tender.code,
        data=DocumentIn(title="答疑一", body="问：是否接受联合体投标？答：本项目不接受联合体投标。"),
    )
    _brand(session, actor)
    fees.charge_due(session, actor=actor)


BRANDS = {
    "CZ": (
        "常州产权交易所",
        "#1f4e79",
        "0519-85588888（服务大厅）",
        "常州市属综合性产权交易机构，提供国有产权、资产、车辆等进场交易服务。",
    ),
    "SZ": (
        "苏州产权交易中心",
        "#8a1c1c",
        "0512-68886666",
        "苏州市产权交易平台，联盟成员，欢迎通过本所参与联盟各会员机构项目竞买。",
    ),
}


def _brand(session: Session, actor: Actor) -> None:
    codes = {i.code for i in parties.institutions(session)}
    for code, (title, colour, contact, intro) in BRANDS.items():
        if code in codes:
            data = {"portal_title": title, "brand_color": colour, "contact": contact, "intro": intro}
            service.update_profile(session, actor=actor, institution_code=code, data=data)
