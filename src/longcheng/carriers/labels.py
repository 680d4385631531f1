"""The carriers module's words for change logs (core.changelog)."""

from __future__ import annotations

from longcheng.carriers.models import KIND_LABELS
from longcheng.core.changelog import Vocabulary

VOCABULARY = Vocabulary(
    modules={"carriers": "载体与招商线索"},
    actions={
        "carriers.carrier.create": "登记载体",
        "carriers.carrier.availability": "更新可用面积",
        "carriers.lead.create": "登记招商线索",
        "carriers.lead.convert": "线索转为项目",
    },
    entities={"carriers.carrier": "载体", "carriers.lead": "招商线索"},
    fields={
        "name": "名称",
        "kind": "载体类型",
        "total_area_m2": "总面积（平方米）",
        "available_area_m2": "可用面积（平方米）",
        "investor": "投资方",
        "need_area_m2": "需求面积（平方米）",
        "project_code": "项目编号",
        "carrier": "载体",
    },
    values={"kind": dict(KIND_LABELS)},
)
