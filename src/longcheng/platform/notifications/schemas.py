"""What callers hand to ``notify`` and what the JSON API returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from longcheng.core.actors import Role


@dataclass(frozen=True)
class Recipients:
    """Who gets a message: user ids, a firm's enterprise users (USCC), and/or a role in a district.

    A role with a district means that district's users of the role and the city-wide ones
    (``district`` unset on the user); a role alone means all its users. The sets are united;
    inactive users are left out.
    """

    user_ids: tuple[int, ...] = ()
    uscc: str | None = None
    role: Role | None = None
    district: str | None = None


@dataclass(frozen=True)
class Source:
    """The object a message is about: its module, entity type and id."""

    module: str
    entity_type: str = ""
    entity_id: str = ""


class NotificationOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    link: str
    source_module: str
    source_type: str
    source_id: str
    created_at: datetime
    read: bool


class InboxOut(BaseModel):
    items: list[NotificationOut]
    total: int
    page: int
    unread: int
