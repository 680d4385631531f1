"""Fictional young talents for the demo: a few hundred people with valid ID check digits, working
for registry firms, with the three sources imported and two months run (2025-05 and 2025-06).

Everything goes through the services (imports from generated CSV files, the monthly run), so the
demo shows what an officer would see after real imports. The ``talent`` demo user is bound to
the first person (confirmed), and ``talent_officer`` holds ``talent:pii``.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.pii import ids, masking, vault
from longcheng.core.users import User
from longcheng.talent.models import Person
from longcheng.talent.schemas import DEGREE_LABELS, PersonCreate
from longcheng.talent.service import people, pii, runs, sources

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "子涵浩然欣怡梓萱宇轩一诺俊杰思远雨桐佳琪明轩晨曦可馨博文嘉怡天佑诗琪泽宇若汐志强海燕晓东丽娜"
SCHOOLS = (
    "常州大学",
    "江苏理工学院",
    "河海大学",
    "南京大学",
    "东南大学",
    "苏州大学",
    "江南大学",
    "南京理工大学",
)
REGIONS = ("320402", "320404", "320411", "320412", "320481", "320102", "320582", "340104")
MONTHS = ("2025-05", "2025-06")
DEGREES = ("associate", "bachelor", "bachelor", "bachelor", "master", "master", "doctor")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _person(rng: random.Random, n: int, uscc: str) -> PersonCreate:
    birth = date(1988, 1, 1) + timedelta(days=rng.randint(0, 365 * 12))
    degree = rng.choice(DEGREES)
    if n == 0:  # the demo user: a master's graduate who came in 2025 and qualifies
        birth, degree = date(1997, 4, 12), "master"
    graduated = date(
        birth.year + {"associate": 21, "bachelor": 22, "master": 25, "doctor": 28}[degree], 6, 30
    )
    start = date(rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 6), 1) if n else date(2025, 1, 1)
    number = ids.make_number(rng.choice(REGIONS), birth, 100 + n % 900)
    return PersonCreate(
        name=_name(rng),
        id_number=number,
        degree=degree,
        school=rng.choice(SCHOOLS),
        graduation_date=graduated,
        employer_uscc=uscc,
        start_date=max(start, graduated + timedelta(days=1)),
        housing=rng.choice(("none", "rented", "owned")),
    )


def _csv(folder: Path, name: str, header: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def seed(
    session: Session,
    *,
    actor: Actor,
    usccs: Sequence[str],
    count: int = 300,
    person_user: str = "talent",
    pii_officer: str = "talent_officer",
) -> int:
    """Register ``count`` people at the given firms, import their sources, run two months."""
    rng = random.Random(15)
    made: list[tuple[Person, str]] = []
    for n in range(count):
        data = _person(rng, n, usccs[n % len(usccs)])
        made.append((people.create(session, actor=actor, data=data), data.id_number))
    _import_sources(session, actor, rng, made)
    _confirm(session, actor, rng, made, person_user)
    if session.scalar(select(User.id).where(User.username == pii_officer)) is not None:
        pii.grant(session, actor=actor, username=pii_officer)
    for month in MONTHS:
        runs.run_month(session, actor=actor, month=month, key=f"demo:{month}")
    return len(made)


def _import_sources(
    session: Session, actor: Actor, rng: random.Random, made: list[tuple[Person, str]]
) -> None:
    si, emp, deg = [], [], []
    for person, number in made:
        uscc = person.employer_uscc or ""
        emp.append(f"{uscc},{number},{person.start_date},")
        deg.append(f"{number},{DEGREE_LABELS[person.degree]},{person.school},{person.graduation_date}")
        for month in MONTHS:
            gap = month == MONTHS[-1] and rng.random() < 0.06
            si.append(f"{number},{month},{uscc},{'未缴' if gap else '已缴'}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for source, path in (
            ("employer", _csv(folder, "emp.csv", "单位统一社会信用代码,身份证号码,入职日期,离职日期", emp)),
            ("degree", _csv(folder, "deg.csv", "身份证号码,学历,毕业院校,毕业日期", deg)),
            ("social_insurance", _csv(folder, "si.csv", "身份证号码,月份,单位统一社会信用代码,缴费状态", si)),
        ):
            report = sources.run_import(
                session, actor=actor, source=source, path=path, max_bytes=50 << 20, filename=path.name
            )
            assert report.ok, report.errors[:3]


def _confirm(
    session: Session, actor: Actor, rng: random.Random, made: list[tuple[Person, str]], person_user: str
) -> None:
    """About three in four have confirmed (实名) with a fictional bank account; the first is the demo user."""
    user_id = session.scalar(select(User.id).where(User.username == person_user))
    changes = []
    for n, (person, _number) in enumerate(made):
        if n and rng.random() > 0.75:
            continue
        account = "6222" + "".join(str(rng.randint(0, 9)) for _ in range(15))
        person.bank_token = vault.encrypt(account, purpose=people.BANK_PURPOSE)
        person.bank_masked = masking.mask_bank_account(account)
        person.confirmed_at = utcnow()
        if n == 0 and user_id is not None:
            person.user_id = user_id
        changes.append(
            audit.Change(
                "talent.confirm",
                people.ENTITY,
                str(person.id),
                None,
                {"bank": person.bank_masked, "confirmed": True},
                "演示数据",
            )
        )
    session.flush()
    audit.record_many(session, actor=actor, changes=changes)
