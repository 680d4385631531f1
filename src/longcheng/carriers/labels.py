"""The carriers module's words for change logs (core.changelog)."""

from __future__ import annotations

from longcheng.carriers.models import KIND_LABELS, LAND_USES, LEAD_STATUSES, NEED_KINDS, STATUSES
from longcheng.core.changelog import Vocabulary

VOCABULARY = Vocabulary(
    modules={"carriers": "载体与招商线索"},
    actions={
        "carriers.carrier.create": "登记载体",
        "carriers.carrier.update": "修改载体信息",
        "carriers.carrier.availability": "更新可用面积",
        "carriers.carrier.photo": "上传载体照片",
        "carriers.carrier.photo_remove": "删除载体照片",
        "carriers.lead.create": "登记招商线索",
        "carriers.lead.update": "修改招商线索",
        "carriers.lead.convert": "线索转为项目",
    },
    entities={"carriers.carrier": "载体", "carriers.lead": "招商线索"},
    fields={
        "name": "名称",
        "kind": "载体类型",
        "district": "所在区",
        "park": "所在园区",
        "total_area_m2": "总面积（平方米）",
        "available_area_m2": "可用面积（平方米）",
        "land_mu": "面积（亩）",
        "land_use": "用地性质",
        "plot_ratio": "容积率",
        "rent_fen_per_m2_month": "租金（每平方米·月）",
        "price_fen": "挂牌价",
        "power_kva": "电力容量（千伏安）",
        "status": "状态",
        "photo": "照片",
        "investor": "投资方",
        "industry": "行业",
        "need_kind": "需求类型",
        "need_area_m2": "需求面积（平方米）",
        "need_land_use": "用地性质需求",
        "need_power_kva": "用电需求（千伏安）",
        "budget_fen": "预算",
        "timeline": "时间计划",
        "jobs": "预计就业（人）",
        "project_code": "项目编号",
        "carrier": "载体",
    },
    values={
        "kind": dict(KIND_LABELS),
        "land_use": dict(LAND_USES),
        "need_land_use": dict(LAND_USES),
        "need_kind": dict(NEED_KINDS),
        "carriers.carrier.status": dict(STATUSES),
        "carriers.lead.status": dict(LEAD_STATUSES),
    },
    money=frozenset({"rent_fen_per_m2_month"}),
)
