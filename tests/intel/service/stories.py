"""Invented articles and the ingest helper the intel service tests share."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.intel.service.ingest import ingest_upload

TWO_STORIES = (
    "星河光伏高效组件项目落户常州经开区\n2024-03-18\n"
    "本月，常州星河光伏科技有限公司与常州经开区管委会签约总投资18.5亿元的高效光伏组件项目。\n"
    "\n\n"
    "龙腾特钢绿色循环项目在武进开工\n2023-11-02\n"
    "近日，龙腾特钢集团绿色循环提升项目在武进国家高新区开工，项目总投资6亿元。\n"
)
OFFICER = Actor(id=None, username="officer", role=Role.officer, display_name="测试工作人员")


def store(session: Session, tmp_path: Path, text: str, name: str = "news.txt") -> int:
    outcome = ingest_upload(
        session, actor=OFFICER, data_dir=tmp_path, max_bytes=1 << 20, data=text.encode(), name=name
    )
    assert outcome.status == "stored", outcome.message
    assert outcome.document_id is not None
    return outcome.document_id
