"""People and holders of organisations, and the relations they make between organisations.

``set_people`` replaces a firm's list (officers, the import, the demo); the other functions are
the public questions other modules ask. The relation checks are system checks (conflicts of
interest, related parties): they need a signed-in actor but are not limited to the actor's scope,
and they answer with reasons whose names are masked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import CompoundSelect, delete, literal, or_, select, union_all
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require, require_visible
from longcheng.core.errors import NotFound, ValidationFailed
from longcheng.core.ids import normalise_uscc
from longcheng.core.pii import masking, vault
from longcheng.registry import permissions as perm
from longcheng.registry.models import Organisation
from longcheng.registry.people.models import PERSON_PURPOSE, OrgPerson
from longcheng.registry.people.schemas import ROLE_LABELS, OrgPersonIn, OrgPersonView, Relation


def _view(row: OrgPerson) -> OrgPersonView:
    """A view with the resident ID decrypted and masked (pages and the API)."""
    view = _plain_view(row)
    if row.id_token:
        number = vault.decrypt(row.id_token, purpose=PERSON_PURPOSE)
        view = replace(view, id_masked=masking.mask_resident_id(number))
    return view


def _org(session: Session, actor: Actor, uscc: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.uscc == normalise_uscc(uscc)))
    missing = NotFound("未找到该统一社会信用代码对应的机构。", code="registry.not_found")
    return require_visible(actor, perm.ORG_READ, org, missing)


def _ordered(rows: Iterable[OrgPerson]) -> list[OrgPerson]:
    order = list(ROLE_LABELS)
    return sorted(
        rows, key=lambda r: (order.index(r.role) if r.role in order else 9, -(r.share_ratio or 0), r.id)
    )


def people_of(session: Session, *, actor: Actor, uscc: str) -> list[OrgPersonView]:
    """A firm's legal representative, shareholders, directors and supervisors (IDs masked)."""
    org = _org(session, actor, uscc)
    rows = session.scalars(select(OrgPerson).where(OrgPerson.org_id == org.id))
    return [_view(r) for r in _ordered(rows)]


def legal_representative(session: Session, *, actor: Actor, uscc: str) -> OrgPersonView | None:
    return next((p for p in people_of(session, actor=actor, uscc=uscc) if p.role == "legal_rep"), None)


def _check_list(people: Sequence[OrgPersonIn]) -> None:
    errors: dict[str, str] = {}
    if sum(p.role == "legal_rep" for p in people) > 1:
        errors["role"] = "法定代表人只能有一位"
    total = sum((p.share_ratio or 0) for p in people if p.role == "shareholder")
    if total > 100:
        errors["share_ratio"] = f"股东持股比例合计 {total}% 超过 100%"
    if errors:
        raise ValidationFailed("主要人员与股东信息有误：" + "；".join(errors.values()) + "。", details=errors)


def _row(org: Organisation, p: OrgPersonIn) -> OrgPerson:
    return OrgPerson(
        org_id=org.id,
        uscc=org.uscc,
        role=p.role,
        name=p.name,
        id_token=vault.encrypt(p.id_number, purpose=PERSON_PURPOSE) if p.id_number else None,
        person_index=vault.blind_index(p.id_number, purpose=PERSON_PURPOSE) if p.id_number else None,
        holder_uscc=p.holder_uscc,
        share_ratio=p.share_ratio,
        since=p.since,
    )


def _audit_view(views: Sequence[OrgPersonView]) -> list[str]:
    return [
        f"{v.role_label} {v.name}" + (f"（{v.share_ratio}%）" if v.share_ratio is not None else "")
        for v in views
    ]


def set_people(
    session: Session, *, actor: Actor, uscc: str, people: Sequence[OrgPersonIn]
) -> list[OrgPersonView]:
    """Replace the firm's people and holders (all or nothing), with one audit record."""
    org = _org(session, actor, uscc)
    require(actor, perm.ORG_UPDATE, org)
    _check_list(people)
    before = _audit_view(people_of(session, actor=actor, uscc=org.uscc))
    session.execute(delete(OrgPerson).where(OrgPerson.org_id == org.id))
    rows = [_row(org, p) for p in people]
    session.add_all(rows)
    session.flush()
    after = [_view(r) for r in _ordered(rows)]
    audit.record(
        session,
        actor=actor,
        action="registry.people.set",
        entity_type="org",
        entity_id=org.uscc,
        before={"people": before},
        after={"people": _audit_view(after)},
    )
    return after


def people_many(session: Session, *, actor: Actor, usccs: Iterable[str]) -> dict[str, list[OrgPersonView]]:
    """People of many firms at once (for checks over thousands of applications)."""
    codes = sorted({normalise_uscc(u) for u in usccs})
    found: dict[str, list[OrgPersonView]] = defaultdict(list)
    for start in range(0, len(codes), 900):
        rows = session.scalars(select(OrgPerson).where(OrgPerson.uscc.in_(codes[start : start + 900])))
        for row in rows:
            found[row.uscc].append(_plain_view(row))
    return {code: found.get(code, []) for code in codes}


def _plain_view(row: OrgPerson) -> OrgPersonView:
    """A view without decrypting (bulk checks need the blind index, not the masked number)."""
    return OrgPersonView(
        uscc=row.uscc,
        role=row.role,
        name=row.name,
        person_index=row.person_index,
        holder_uscc=row.holder_uscc,
        share_ratio=row.share_ratio,
        since=row.since,
        id_masked=None,
    )


def same_person(a: OrgPersonView, b: OrgPersonView) -> tuple[bool, bool]:
    """(same, by name only): equal blind indexes, or equal names when either index is unknown."""
    if a.holder_uscc or b.holder_uscc:
        return False, False
    if a.person_index and b.person_index:
        return a.person_index == b.person_index, False
    return a.name == b.name, a.name == b.name


def relation_keys() -> CompoundSelect[tuple[str, str]]:
    """``(uscc, key)`` rows such that two firms sharing a key *may* be related, for bulk checks in
    SQL: a person's name (``n:``) and ID blind index (``p:``), and ``o:`` + a USCC for the firm
    itself and for each corporate holder (so a holder meets the held firm). Candidates only:
    confirm each pair with :func:`relations_between` (two IDs with one name are two people)."""
    person = OrgPerson.holder_uscc.is_(None)
    return union_all(
        select(OrgPerson.uscc, (literal("n:") + OrgPerson.name).label("key")).where(person),
        select(OrgPerson.uscc, (literal("p:") + OrgPerson.person_index).label("key")).where(
            person, OrgPerson.person_index.is_not(None)
        ),
        select(OrgPerson.uscc, (literal("o:") + OrgPerson.holder_uscc).label("key")).where(
            OrgPerson.holder_uscc.is_not(None)
        ),
        select(Organisation.uscc, (literal("o:") + Organisation.uscc).label("key")),
    )


def relations_between(
    a: str, b: str, people_a: Sequence[OrgPersonView], people_b: Sequence[OrgPersonView]
) -> list[Relation]:
    """Why firms ``a`` and ``b`` are related (pure: callers may pass people they loaded in bulk)."""
    if normalise_uscc(a) == normalise_uscc(b):
        return [Relation("same_org", "同一机构", f"统一社会信用代码相同：{a}")]
    found: list[Relation] = []
    for pa in people_a:
        if pa.holder_uscc == b:
            found.append(Relation("held_by", "持股关系", f"{b} 是 {a} 的股东"))
        for pb in people_b:
            same, by_name = same_person(pa, pb)
            if same:
                found.append(_person_relation(pa, pb, by_name))
    found += [Relation("holds", "持股关系", f"{a} 是 {b} 的股东") for pb in people_b if pb.holder_uscc == a]
    return found


def _person_relation(pa: OrgPersonView, pb: OrgPersonView, by_name: bool) -> Relation:
    who = masking.mask_name(pa.name)
    how = "（无身份证号，仅姓名相同，请人工核实）" if by_name else ""
    if pa.role == pb.role == "legal_rep":
        return Relation("shared_legal_rep", "法定代表人相同", f"两家机构的法定代表人均为 {who}{how}", by_name)
    if pa.role == pb.role == "shareholder":
        return Relation("shared_shareholder", "存在共同股东", f"{who} 同为两家机构的股东{how}", by_name)
    return Relation(
        "shared_person", "人员交叉", f"{who} 分别为两家机构的{pa.role_label}和{pb.role_label}{how}", by_name
    )


def related_parties(session: Session, *, actor: Actor, a: str, b: str) -> list[Relation]:
    """Why two organisations are related (empty when no relation is on record)."""
    people = people_many(session, actor=actor, usccs=[a, b])
    return relations_between(
        normalise_uscc(a), normalise_uscc(b), people[normalise_uscc(a)], people[normalise_uscc(b)]
    )


def roles_of_person(
    session: Session, *, actor: Actor, person_index: str | None = None, name: str | None = None
) -> list[tuple[str, str]]:
    """(USCC, role) where a person holds a role: by ID blind index, or by name when no ID is known."""
    conds = []
    if person_index:
        conds.append(OrgPerson.person_index == person_index)
    if name and not person_index:
        conds.append(OrgPerson.name == name.strip())
    if not conds:
        return []
    rows = session.execute(select(OrgPerson.uscc, OrgPerson.role).where(or_(*conds)).order_by(OrgPerson.uscc))
    return [(uscc, role) for uscc, role in rows]


def person_index_of(id_number: str) -> str:
    """The blind index other modules store for a person whose resident ID they hold."""
    return vault.blind_index(id_number, purpose=PERSON_PURPOSE)
