"""Fictional legal representatives and shareholders for the demo's organisations.

Every firm gets a legal representative with a well-formed (fictional) resident ID; most get one
to three shareholders, some of them other demo firms; about one firm in twenty shares its legal
representative with another, so conflict-of-interest and related-party checks have cases to show.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.pii import ids, vault
from longcheng.registry.models import Organisation
from longcheng.registry.people.models import PERSON_PURPOSE, OrgPerson

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉力宇浩晨阳峰博凯鹏飞俊嘉琳欣怡子涵梓轩雨泽思"
    "远志宏海波春晓东亮"
)


def _person(rng: random.Random, region: str) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    born = date(1958, 1, 1) + timedelta(days=rng.randint(0, 365 * 40))
    return name, ids.make_number(region, born, rng.randint(1, 999))


def _row(org: tuple[int, str], role: str, name: str, number: str | None, **extra: object) -> OrgPerson:
    return OrgPerson(
        org_id=org[0],
        uscc=org[1],
        role=role,
        name=name,
        id_token=vault.encrypt(number, purpose=PERSON_PURPOSE) if number else None,
        person_index=vault.blind_index(number, purpose=PERSON_PURPOSE) if number else None,
        **extra,
    )


def _shareholders(
    rng: random.Random, org: tuple[int, str], orgs: list[tuple[int, str]], rep: tuple[str, str]
) -> list[OrgPerson]:
    rows = [_row(org, "shareholder", rep[0], rep[1], share_ratio=Decimal(rng.choice((51, 60, 70, 100))))]
    left = 100 - int(rows[0].share_ratio or 0)
    while left > 0 and rng.random() < 0.7:
        part = min(left, rng.choice((10, 20, 30, 40)))
        if rng.random() < 0.3:
            holder = rng.choice(orgs)
            if holder[1] != org[1]:
                name = f"股东机构{holder[1][-6:]}"
                rows.append(
                    _row(org, "shareholder", name, None, holder_uscc=holder[1], share_ratio=Decimal(part))
                )
        else:
            name, number = _person(rng, "320402")
            rows.append(_row(org, "shareholder", name, number, share_ratio=Decimal(part)))
        left -= part
    return rows


def seed(session: Session, *, actor: Actor, seed: int = 2026) -> int:
    """Add people to every organisation that has none yet; one audit record for the batch."""
    rng = random.Random(seed)
    taken = set(session.scalars(select(OrgPerson.org_id).distinct()))
    orgs = [
        (i, u)
        for i, u in session.execute(select(Organisation.id, Organisation.uscc).order_by(Organisation.id))
    ]
    todo = [o for o in orgs if o[0] not in taken]
    reps: list[tuple[str, str]] = []
    rows: list[OrgPerson] = []
    for org in todo:
        rep = rng.choice(reps) if reps and rng.random() < 0.05 else _person(rng, org[1][2:8])
        reps.append(rep)
        rows.append(
            _row(
                org,
                "legal_rep",
                rep[0],
                rep[1],
                since=date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000)),
            )
        )
        rows += _shareholders(rng, org, orgs, rep)
    session.add_all(rows)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="registry.people.seed",
        entity_type="org",
        entity_id="*",
        after={"机构数": len(todo), "人员数": len(rows)},
    )
    return len(rows)
