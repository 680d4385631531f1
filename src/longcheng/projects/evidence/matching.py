"""Matching facts from the news to projects (pure: plain data in, scored matches out).

A candidate names organisations (and perhaps their USCCs), a project, an amount, a place and an
event. A project scores points for each thing that agrees — the same USCC, a similar investor
name, a similar project name, an amount within 10 % (or 30 %) of its agreed or total investment,
the same park or district — and loses points for a different district or an amount far off.
Names are compared after dropping legal forms and place prefixes (``常州``, ``（江苏）``,
``股份有限公司`` …) by character-bigram overlap, which suits Chinese names without segmentation.
At least one identity signal (USCC, investor or project name) is needed; amount and place alone
never match. Candidates are narrowed through a bigram index, so thousands of projects are fine.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

MIN_SCORE = 50
LEAD_EVENTS = frozenset({"signed", "started"})
EVENT_LABELS = {
    "signed": "签约",
    "started": "开工",
    "completed": "竣工",
    "producing": "投产",
    "building": "在建",
    "invested": "投资",
}

_LEGAL = re.compile(r"(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团|公司|总部)$")
_PLACE_PREFIX = re.compile(r"^(中国|江苏省?|常州市?|上海市?|浙江省?)+")
_BRACKETS = re.compile(r"[（(][^）)]{1,8}[)）]")
_PROJECT_NOISE = re.compile(r"(项目|工程|建设|新建|一期|二期|三期|[“”\"'《》、，,。\s])")


@dataclass(frozen=True)
class EvidenceCandidate:
    """One fact from the news, as the intel module hands it over (plain data)."""

    source_ref: str
    sentence: str
    event: str | None = None
    reported_on: date | None = None
    cue: str = ""
    org_names: tuple[str, ...] = ()
    usccs: tuple[str, ...] = ()
    project_name: str | None = None
    amount_fen: int | None = None
    currency: str = "CNY"
    place_code: str | None = None
    district: str | None = None
    link: str = ""
    source_kind: str = "news"
    aggregate: bool = False  # the amount totals many projects (新签约项目34个…): never one project's

    @property
    def names_a_subject(self) -> bool:
        """Whether the fact says whose it is: an investor (name or USCC) or a project name."""
        return bool(self.usccs or any(n.strip() for n in self.org_names) or (self.project_name or "").strip())


@dataclass(frozen=True)
class ProjectProfile:
    """What matching needs of a project."""

    id: int
    name: str
    investor_names: tuple[str, ...]
    usccs: tuple[str, ...]
    district: str
    park: str | None
    total_fen: int
    agreed_fen: int


@dataclass(frozen=True)
class Match:
    project_id: int
    score: int
    reasons: tuple[str, ...] = field(default=())


def normalise_org(name: str) -> str:
    """``江苏天目湖动力（常州）股份有限公司`` → ``天目湖动力``."""
    text = _BRACKETS.sub("", name.strip())
    for _ in range(2):
        text = _LEGAL.sub("", text)
    return _PLACE_PREFIX.sub("", text)


def normalise_project(name: str) -> str:
    return _PROJECT_NOISE.sub("", _PLACE_PREFIX.sub("", name.strip()))


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else ({text} if text else set())


def similarity(a: str, b: str) -> float:
    """Dice overlap of character bigrams; one name inside the other counts as 0.9 at least."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ga, gb = bigrams(a), bigrams(b)
    dice = 2 * len(ga & gb) / (len(ga) + len(gb))
    if min(len(a), len(b)) >= 2 and (a in b or b in a):
        return max(dice, 0.9)
    return dice


def _amount_points(amount: int | None, p: ProjectProfile) -> tuple[int, str | None]:
    figures = [v for v in (p.total_fen, p.agreed_fen) if v > 0]
    if amount is None or amount <= 0 or not figures:
        return 0, None
    ratio = min(abs(amount - v) / v for v in figures)
    if ratio <= 0.10:
        return 20, "金额相符"
    if ratio <= 0.30:
        return 10, "金额相近"
    if all(amount > 3 * v or 3 * amount < v for v in figures):
        return -15, "金额差距较大"
    return 0, None


def _place_points(c: EvidenceCandidate, p: ProjectProfile) -> tuple[int, str | None]:
    if c.place_code and p.park and c.place_code == p.park:
        return 15, "园区相同"
    if c.district and c.district == p.district:
        return 10, "所在区相同"
    if c.district and c.district != p.district:
        return -20, "所在区不同"
    return 0, None


def _name_points(c: EvidenceCandidate, p: ProjectProfile) -> list[tuple[int, str]]:
    points: list[tuple[int, str]] = []
    if set(c.usccs) & set(p.usccs):
        points.append((60, "投资方统一社会信用代码一致"))
    org = max(
        (similarity(normalise_org(a), normalise_org(b)) for a in c.org_names for b in p.investor_names),
        default=0.0,
    )
    if org >= 0.85:
        points.append((45, "投资方名称相符"))
    elif org >= 0.6:
        points.append((25, "投资方名称相近"))
    if c.project_name:
        proj = similarity(normalise_project(c.project_name), normalise_project(p.name))
        if proj >= 0.8:
            points.append((40, "项目名称相符"))
        elif proj >= 0.5:
            points.append((20, "项目名称相近"))
    return points


def score(c: EvidenceCandidate, p: ProjectProfile) -> Match | None:
    """How well ``c`` fits ``p``; None without any identity signal."""
    names = _name_points(c, p)
    if not names:
        return None
    extra = [
        x
        for x in (_amount_points(c.amount_fen if c.currency == "CNY" else None, p), _place_points(c, p))
        if x[1] is not None
    ]
    total = sum(n for n, _ in names) + sum(n for n, _ in extra)
    return Match(p.id, max(0, min(100, total)), tuple(r for _, r in names) + tuple(str(r) for _, r in extra))


class MatchIndex:
    """Profiles indexed by name bigram and USCC, so a candidate is scored against few projects."""

    def __init__(self, profiles: Iterable[ProjectProfile]) -> None:
        self.profiles = list(profiles)
        self._grams: dict[str, set[int]] = defaultdict(set)
        self._uscc: dict[str, set[int]] = defaultdict(set)
        for i, p in enumerate(self.profiles):
            for text in (normalise_project(p.name), *(normalise_org(n) for n in p.investor_names)):
                for g in bigrams(text):
                    self._grams[g].add(i)
            for code in p.usccs:
                self._uscc[code].add(i)

    def _nearby(self, c: EvidenceCandidate) -> set[int]:
        texts = [normalise_org(n) for n in c.org_names] + (
            [normalise_project(c.project_name)] if c.project_name else []
        )
        found: set[int] = set()
        for text in texts:
            grams = bigrams(text)
            hits: dict[int, int] = defaultdict(int)
            for g in grams:
                for i in self._grams.get(g, ()):
                    hits[i] += 1
            found |= {i for i, n in hits.items() if n >= min(2, len(grams))}
        for code in c.usccs:
            found |= self._uscc.get(code, set())
        return found

    def best(self, c: EvidenceCandidate, *, min_score: int = MIN_SCORE, limit: int = 3) -> list[Match]:
        """The best matches scoring at least ``min_score``, within 10 points of the top one."""
        scored = [
            m
            for i in self._nearby(c)
            if (m := score(c, self.profiles[i])) is not None and m.score >= min_score
        ]
        scored.sort(key=lambda m: (-m.score, m.project_id))
        return [m for m in scored[:limit] if m.score >= scored[0].score - 10] if scored else []


def headline(reported_on: date | None, cue: str, event: str | None, amount_text: str | None) -> str:
    """``2025-08-13 报道：签约总投资101亿元``."""
    when = reported_on.isoformat() if reported_on else "日期不详"
    what = (
        cue or "".join(x for x in (EVENT_LABELS.get(event or "", ""), amount_text or "") if x) or "相关报道"
    )
    return f"{when} 报道：{what}"


def names_of(values: Sequence[str]) -> str:
    return "；".join(v for v in values if v)
