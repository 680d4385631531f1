"""The registry's import template: Chinese headers, an example row, and a sheet of allowed values."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from longcheng.core.exporting import append_row
from longcheng.registry import reference as ref
from longcheng.registry.importer import HEADERS, REQUIRED


def template_rows() -> list[list[object]]:
    """An example row for the import template (a fictional firm with a valid code)."""
    return [
        [
            "91320411MA1XXXXXX5",
            "常州示例智能装备有限公司",
            "",
            "企业",
            "新北区",
            "常州国家高新区",
            "3491",
            "2019-06-18",
            "常州市新北区示例路1号",
            "高新技术企业:2023-11-01",
            2024,
            "12,345.6",
            "856.2",
            "",
            "210",
            "企业填报",
        ]
    ]


def template_xlsx() -> bytes:
    """The import template: Chinese headers, one example row, and a sheet of allowed values."""
    wb = Workbook()
    ws = wb.active
    ws.title = "导入模板"
    append_row(ws, HEADERS)
    for row in template_rows():
        append_row(ws, row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    notes = wb.create_sheet("填写说明")
    append_row(notes, ["项目", "可填写的值"])
    append_row(notes, ["必填列", "、".join(REQUIRED)])
    append_row(notes, ["机构类型", "、".join(ref.org_types().values())])
    append_row(notes, ["所属区", "、".join(p.name for p in ref.districts())])
    append_row(notes, ["所属园区", "、".join(p.name for p in ref.zones())])
    append_row(
        notes,
        [
            "企业标签",
            "名称:认定日期，多个用分号隔开；可选：" + "、".join(t.label for t in ref.tag_types().values()),
        ],
    )
    append_row(notes, ["金额列", "单位万元；也可写“1,234.5万”“1.2亿”等带单位的金额"])
    append_row(notes, ["日期", "2023-03-15、2023/3/15 或 2023年3月15日"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
