"""Conflicts of interest between experts and applicants, from the registry's people and holdings.

:func:`conflicts` answers for one expert; :func:`index_of` precomputes the registry's people for
a whole draw, so thousands of items are checked without a query each.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.core.ids import normalise_uscc
from longcheng.experts.engine import coi
from longcheng.experts.models import Expert
from longcheng.experts.service.pool import get
from longcheng.registry import service as registry_service
from longcheng.registry.people.schemas import OrgPersonView

People = dict[str, list[OrgPersonView]]


def _is_expert(p: OrgPersonView, expert: Expert) -> bool:
    """The registry person is the expert: same ID blind index, or same name when either lacks one."""
    if p.holder_uscc:
        return False
    if p.person_index and expert.person_index:
        return p.person_index == expert.person_index
    return p.name == expert.name


def ties_of(expert: Expert, applicant_uscc: str, people: People) -> coi.ExpertTies:
    """What ties an expert to the applicant, as the pure COI engine judges it."""
    roles = tuple((applicant_uscc, p.role) for p in people.get(applicant_uscc, []) if _is_expert(p, expert))
    employer = expert.employer_uscc
    relations: dict[str, tuple[str, ...]] = {}
    if employer and employer != applicant_uscc:
        found = registry_service.relations_between(
            employer, applicant_uscc, people.get(employer, []), people.get(applicant_uscc, [])
        )
        relations[applicant_uscc] = tuple(f"{r.label_zh}（{r.evidence_zh}）" for r in found)
    return coi.ExpertTies(
        expert_id=expert.id,
        employer_uscc=employer,
        former=tuple((f.uscc, f.ended_on) for f in expert.former_employers),
        roles=roles,
        employer_relations=relations,
    )


def conflicts(session: Session, *, actor: Actor, expert_id: int, applicant_uscc: str) -> list[coi.Reason]:
    """Why the expert may not review the applicant (empty list: no known conflict).

    Checks the employer, former employers within 3 years, the expert's own role in the applicant
    (法定代表人, 股东…) and how the employer relates to the applicant in the registry."""
    expert = get(session, actor=actor, expert_id=expert_id)
    applicant = normalise_uscc(applicant_uscc)
    people = registry_service.people_many(
        session, actor=actor, usccs=[applicant, *([expert.employer_uscc] if expert.employer_uscc else [])]
    )
    return coi.reasons(ties_of(expert, applicant, people), applicant, today=local_today())


class _Index:
    """Experts by the firms and people they are tied to, so each item judges only a handful."""

    def __init__(self, experts: list[Expert], people: People) -> None:
        self.people = people
        self.by_uscc: dict[str, set[int]] = defaultdict(set)
        self.by_person: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.experts = {e.id: e for e in experts}
        for e in experts:
            for uscc in {e.employer_uscc, *(f.uscc for f in e.former_employers)} - {None}:
                self.by_uscc[str(uscc)].add(e.id)
            if e.person_index:
                self.by_person[e.person_index].add(e.id)
            self.by_name[e.name].add(e.id)
        self.employer_by_person: dict[str, set[str]] = defaultdict(set)
        for e in experts:
            for p in people.get(e.employer_uscc or "", []):
                for key in {p.person_index, p.name} - {None}:
                    self.employer_by_person[str(key)].add(e.employer_uscc or "")
                if p.holder_uscc:
                    self.by_uscc[p.holder_uscc].update(self.by_uscc[e.employer_uscc or ""])

    def _candidates(self, applicant: str) -> set[int]:
        found = set(self.by_uscc.get(applicant, ()))
        for p in self.people.get(applicant, []):
            if p.holder_uscc:
                found |= self.by_uscc.get(p.holder_uscc, set())
                continue
            found |= self.by_person.get(p.person_index or "", set()) | self.by_name.get(p.name, set())
            for key in {p.person_index, p.name} - {None}:
                for employer in self.employer_by_person.get(str(key), ()):
                    found |= self.by_uscc.get(employer, set())
        return found

    def excluded(self, applicant: str) -> frozenset[int]:
        today = local_today()
        return frozenset(
            i
            for i in self._candidates(applicant)
            if coi.reasons(ties_of(self.experts[i], applicant, self.people), applicant, today=today)
        )


def index_of(session: Session, actor: Actor, experts: list[Expert], applicants: list[str]) -> _Index:
    employers = {e.employer_uscc for e in experts if e.employer_uscc}
    people = registry_service.people_many(session, actor=actor, usccs={*applicants, *employers})
    return _Index(experts, people)
