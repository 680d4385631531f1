"""Demo data of carriers: spaces, factories and parcels across the districts, two investor
leads, one of them converted into a project that moved into a standard factory (fictitious)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from longcheng.carriers import service
from longcheng.carriers.schemas import CarrierIn, LeadIn
from longcheng.carriers.service import leads
from longcheng.core.actors import Actor
from longcheng.core.validation import validate

CARRIERS: list[dict[str, Any]] = [
    {
        "name": "常州科教城创新港众创空间",
        "kind": "众创空间",
        "district": "wujin",
        "park": "kejiaocheng",
        "industries": "软件、人工智能",
        "total_area_m2": 3000,
        "rent_yuan": "25",
        "operator": "科教城运营公司",
    },
    {
        "name": "武进高新区智能制造孵化器",
        "kind": "孵化器",
        "district": "wujin",
        "park": "wj_hitech",
        "industries": "智能制造、机器人",
        "total_area_m2": 20000,
        "available_area_m2": 6000,
        "rent_yuan": "22",
    },
    {
        "name": "常州高新区新能源加速器",
        "kind": "加速器",
        "district": "xinbei",
        "park": "cz_hitech",
        "industries": "光伏、储能",
        "total_area_m2": 45000,
        "available_area_m2": 12000,
        "rent_yuan": "20",
        "power_kva": 3000,
    },
    {
        "name": "中以常州创新园研发楼宇",
        "kind": "产业园/楼宇",
        "district": "wujin",
        "park": "sino_israel",
        "industries": "生物医药、医疗器械",
        "total_area_m2": 30000,
        "available_area_m2": 9000,
        "rent_yuan": "35",
    },
    {
        "name": "西太湖标准厂房三期",
        "kind": "标准厂房",
        "district": "wujin",
        "park": "west_taihu",
        "industries": "新能源汽车零部件、智能制造",
        "total_area_m2": 24000,
        "available_area_m2": 16000,
        "rent_yuan": "16",
        "power_kva": 2500,
        "floor_load_kn_m2": "30",
        "clear_height_m": "9",
    },
    {
        "name": "滨江经开区化工新材料标准厂房",
        "kind": "标准厂房",
        "district": "xinbei",
        "park": "binjiang",
        "industries": "新材料",
        "total_area_m2": 18000,
        "available_area_m2": 7000,
        "rent_yuan": "14",
        "power_kva": 4000,
        "floor_load_kn_m2": "50",
        "clear_height_m": "12",
    },
    {
        "name": "武进经开区工业地块 WJ-2026-03",
        "kind": "地块",
        "district": "wujin",
        "park": "wj_edz",
        "land_mu": "80",
        "land_use": "工业",
        "plot_ratio": "1.5",
        "price_wan": "4800",
        "power_kva": 8000,
        "industries": "新能源汽车零部件、储能",
        "lat": "31.6800",
        "lon": "119.9900",
    },
    {
        "name": "天宁经开区研发地块 TN-2026-01",
        "kind": "地块",
        "district": "tianning",
        "park": "tn_edz",
        "land_mu": "35",
        "land_use": "研发",
        "plot_ratio": "2.5",
        "price_wan": "3200",
    },
]
LEADS: list[dict[str, Any]] = [
    {
        "investor": "某新能源汽车热管理系统公司",
        "industry": "新能源汽车零部件",
        "district": "wujin",
        "need_kind": "building",
        "need_area_m2": 8000,
        "need_power_kva": 1500,
        "budget_wan": "200",
        "jobs": 260,
        "timeline": "2027年一季度投产",
    },
    {
        "investor": "某储能电池系统集成商",
        "industry": "储能",
        "district": "wujin",
        "need_kind": "land",
        "need_area_m2": 40000,
        "need_land_use": "industrial",
        "need_power_kva": 5000,
        "budget_wan": "6000",
        "jobs": 600,
        "lat": "31.7000",
        "lon": "119.9500",
        "timeline": "2027年上半年摘牌开工",
    },
]


def seed(session: Session, *, actor: Actor) -> int:
    """Register the demo carriers and leads; the first lead moves into the 西太湖 factory."""
    codes = [
        service.create(session, actor=actor, data=validate(CarrierIn, row, code="carriers.invalid")).code
        for row in CARRIERS
    ]
    made = [
        leads.create(session, actor=actor, data=validate(LeadIn, row, code="carriers.invalid"))
        for row in LEADS
    ]
    service.convert(session, actor=actor, code=made[0].code, carrier_code=codes[4])
    return len(codes)
