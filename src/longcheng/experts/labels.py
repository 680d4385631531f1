"""The expert pool's words for change logs (core.changelog); its records already use Chinese keys."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary

VOCABULARY = Vocabulary(
    modules={"experts": "专家库"},
    actions={
        "experts.create": "新增专家",
        "experts.update": "修改专家信息",
        "experts.assign": "随机抽取评审专家",
        "experts.substitute": "替换评审专家",
        "experts.declare": "签署利益冲突声明",
        "experts.score": "专家评分",
    },
    entities={"expert": "专家", "expert_review": "专家评审"},
)
