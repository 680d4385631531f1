"""揭榜挂帅 services, one import for callers (``from longcheng.matching.challenges import service``).

* :mod:`.core` — publish, the agreement gate, proposals, who sees the seeker's name.
* :mod:`.board` — the public board, the seeker's or officer's desk, export.
* :mod:`.editing` — editing a published challenge and its change log.
"""

from longcheng.matching.challenges.service.board import BoardFilter, board, fields, iter_export, managed
from longcheng.matching.challenges.service.core import (
    ANONYMOUS_SEEKER,
    ENTITY,
    AgreementRequired,
    ChallengeNotFound,
    DeadlinePassed,
    accept_agreement,
    acceptances,
    check_dates_and_trl,
    get,
    has_accepted,
    is_insider,
    proposals,
    publish,
    read_details,
    revealed_to,
    seeker_label,
    status_of,
    submit_proposal,
)
from longcheng.matching.challenges.service.editing import changes, editable, update

__all__ = [
    "ANONYMOUS_SEEKER",
    "ENTITY",
    "AgreementRequired",
    "BoardFilter",
    "ChallengeNotFound",
    "DeadlinePassed",
    "accept_agreement",
    "acceptances",
    "board",
    "changes",
    "check_dates_and_trl",
    "editable",
    "fields",
    "get",
    "has_accepted",
    "is_insider",
    "iter_export",
    "managed",
    "proposals",
    "publish",
    "read_details",
    "revealed_to",
    "seeker_label",
    "status_of",
    "submit_proposal",
    "update",
]
