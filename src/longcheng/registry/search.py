"""Name search for the registry: exact substring semantics, fast on 100,000 organisations.

SQLite keeps an FTS5 table of each organisation's name and former names cut into single
characters (``uni``) and overlapping character pairs (``bi``). A one-character query matches
``uni``; a longer one matches the phrase of its consecutive pairs in ``bi``, which is exactly
"contains this substring" for runs of letters and digits. The candidates are then confirmed
with ``LIKE`` so punctuation inside a query is still honoured.

PostgreSQL keeps in ``registry_org.search_grams`` (a generated column the models do not name,
migration 0006) every character and every pair of adjacent characters of the lower-cased
text, with a GIN index. A query of one character looks for that character, a longer one for
all its pairs: a text that contains the query holds them all, so the index gives a superset of
the matches and ``LIKE`` confirms each. Chinese queries are mostly two characters, too short
for a trigram index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Integer,
    Text,
    column,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from longcheng.registry.models import Organisation

FTS_TABLE = "registry_org_fts"
GRAMS_COLUMN = literal_column("registry_org.search_grams", ARRAY(Text))  # PostgreSQL; migration 0006
_WORD = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")


def grams(text_: str) -> tuple[str, str]:
    """``("常 州 光 伏", "常州 州光 光伏")`` for the runs of word characters in ``text_``."""
    uni: list[str] = []
    bi: list[str] = []
    for run in _WORD.findall(text_.lower()):
        uni.extend(run)
        bi.extend(run[i : i + 2] for i in range(len(run) - 1))
        bi.append("|")  # keeps pairs of different runs from forming a phrase across a break
    return " ".join(uni), " ".join(bi)


def uses_index(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def reindex(session: Session, rows: Iterable[tuple[int, str]]) -> None:
    """Put (organisation id, search text) pairs into the index, replacing earlier entries."""
    if not uses_index(session):
        return
    params = []
    for org_id, search_text in rows:
        uni, bi = grams(search_text)
        params.append({"id": org_id, "uni": uni, "bi": bi})
    if not params:
        return
    conn = session.connection()
    conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), [{"id": p["id"]} for p in params])
    conn.execute(text(f"INSERT INTO {FTS_TABLE} (rowid, uni, bi) VALUES (:id, :uni, :bi)"), params)


def rebuild(session: Session, batch: int = 5000) -> int:
    """Index every organisation again (after a restore); returns how many were indexed."""
    if not uses_index(session):
        return 0
    session.connection().execute(text(f"DELETE FROM {FTS_TABLE}"))
    done, last = 0, 0
    while rows := session.execute(
        select(Organisation.id, Organisation.search_text)
        .where(Organisation.id > last)
        .order_by(Organisation.id)
        .limit(batch)
    ).all():
        reindex(session, [(org_id, search_text) for org_id, search_text in rows])
        done, last = done + len(rows), rows[-1][0]
    return done


def fts_query(q: str) -> str | None:
    """The FTS5 query for ``q``, or None when the index cannot answer it (punctuation only, …)."""
    runs = _WORD.findall(q.lower())
    if len(runs) != 1:
        return None
    run = runs[0]
    if len(run) == 1:
        return f'uni:"{run}"'
    pairs = " ".join(run[i : i + 2] for i in range(len(run) - 1))
    return f'bi:"{pairs}"'


def candidate_ids(session: Session, q: str, *, hidden: bool = False) -> ColumnElement[bool] | None:
    """A condition over the index for ``q`` (SQLite: ``id IN (…)`` over the FTS5 table;
    PostgreSQL: the pairs ``search_grams`` must hold); None means use LIKE alone.

    ``hidden`` (SQLite) writes it ``+id IN (…)``: the same test, but the planner then reads another
    index (the list's sort order) and checks each row against the matches instead of
    fetching every match first.
    """
    if session.get_bind().dialect.name == "postgresql":
        return _pair_condition(q)
    if not uses_index(session):
        return None
    query = fts_query(q)
    if query is None:
        return None
    fts = table(FTS_TABLE, column("rowid"))
    matches = select(fts.c.rowid).where(text(f"{FTS_TABLE} MATCH :fts").bindparams(fts=query))
    ident = literal_column("+registry_org.id", Integer) if hidden else Organisation.id
    return ident.in_(matches)


def query_grams(q: str) -> list[str]:
    """What ``registry_name_grams`` of every text containing ``q`` holds: ``q`` itself when it is
    one character, else each pair of adjacent characters (lower case, duplicates once). Empty
    when a character's lower case is not one character (``İ``): PostgreSQL may lower it otherwise."""
    if any(len(c.lower()) != 1 for c in q):
        return []
    text_ = q.lower()
    if len(text_) < 2:
        return [text_] if text_ else []
    return sorted({text_[i : i + 2] for i in range(len(text_) - 1)})


def _pair_condition(q: str) -> ColumnElement[bool] | None:
    grams_ = query_grams(q)
    if not grams_:
        return None
    return GRAMS_COLUMN.op("@>")(literal(grams_, ARRAY(Text)))


def pinyin_key(name: str) -> str:
    """The sort key of a Chinese name: its pinyin syllables, lower case, space-separated.

    ``常州光伏`` → ``chang zhou guang fu``; letters and digits stay as they are. The space
    sorts before every letter, so names order syllable by syllable (as a 名录 reads), the same on
    SQLite and PostgreSQL whatever the database's collation.
    """
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415  (its dictionary loads in ~0.2 s; only writes need it)

    syllables = lazy_pinyin(name.strip(), style=Style.NORMAL, errors="default")
    key = " ".join(s.strip().lower() for s in syllables if s.strip())
    return key[:400]
