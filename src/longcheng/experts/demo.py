"""Demo experts: a pool across every field, employed by demo firms, one linked to the reviewer."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.experts.engine import taxonomy
from longcheng.experts.schemas import ExpertIn
from longcheng.experts.service import pool
from longcheng.registry import service as registry_service

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "建国",
    "海燕",
    "志强",
    "丽华",
    "晓明",
    "文军",
    "雪梅",
    "振华",
    "国平",
    "春燕",
    "伟",
    "敏",
    "磊",
    "静",
]
TITLES = ["教授", "研究员", "高级工程师", "正高级会计师", "副教授", "教授级高工"]


def seed(
    session: Session, *, actor: Actor, count: int = 80, reviewer_username: str | None = None, seed: int = 11
) -> int:
    """``count`` experts; the first is linked to ``reviewer_username``. Returns how many."""
    rng = random.Random(seed)
    firms = registry_service.org_rows(session, actor=actor)
    codes = [f.code for f in taxonomy.default().fields]
    for n in range(count):
        uscc, name, _ = firms[rng.randrange(len(firms))] if firms else (None, "常州大学", None)
        former = []
        if firms and rng.random() < 0.3:
            f_uscc, f_name, _ = firms[rng.randrange(len(firms))]
            former.append(
                {
                    "uscc": f_uscc,
                    "name": f_name,
                    "ended_on": local_today() - timedelta(days=rng.randint(100, 2500)),
                }
            )
        data = ExpertIn.model_validate(
            {
                "name": SURNAMES[rng.randrange(len(SURNAMES))] + rng.choice(GIVEN),
                "title": rng.choice(TITLES),
                "employer_uscc": uscc,
                "employer_name": name,
                "fields": rng.sample(codes, k=rng.randint(1, 3)),
                "phone": f"1390519{n:04d}",
                "status": "away" if rng.random() < 0.05 else "active",
                "former_employers": former,
                "username": reviewer_username if n == 0 else None,
            }
        )
        pool.create(session, actor=actor, data=data)
    return count
