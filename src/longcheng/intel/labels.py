"""Intel's words for change logs (core.changelog)."""

from __future__ import annotations

from longcheng.core.changelog import Vocabulary
from longcheng.intel.models import LINK_STATUS_LABELS
from longcheng.intel.schemas import EVENT_LABELS, KIND_LABELS, SOURCE_KIND_LABELS

VOCABULARY = Vocabulary(
    modules={"intel": "招商情报"},
    actions={
        "intel.document.ingest": "导入情报文档",
        "intel.fact.update": "修改情报事实",
        "intel.link.relink": "重新匹配企业",
        "intel.link.confirm": "确认企业匹配",
        "intel.link.reject": "否决企业匹配",
    },
    entities={"intel_document": "情报文档", "intel_fact": "情报事实", "intel_link": "企业匹配"},
    fields={
        "articles": "文章数",
        "duplicate_articles": "重复文章数",
        "encoding": "文字编码",
        "facts": "事实数",
        "links_auto": "自动匹配数",
        "links_proposed": "待确认匹配数",
        "sha256": "文件指纹",
        "event": "事件",
        "amount": "金额",
        "amount_fen": "金额",
        "status": "状态",
        "mention": "原文名称",
        "org_uscc": "企业",
        "published": "发布日期",
        "title": "标题",
    },
    values={
        "intel.document.ingest.kind": SOURCE_KIND_LABELS,
        "intel_fact.kind": KIND_LABELS,
        "event": EVENT_LABELS,
        "intel_link.status": {status.value: label for status, label in LINK_STATUS_LABELS.items()},
    },
)
