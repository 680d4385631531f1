"""Who may do what with policies, and which stored results a user can see.

* Everyone logged in reads the policy library, the 申兑指南 and the calculator.
* 政策一键查 of a firm: the enterprise for its own USCC only; officers for firms in their
  district (city-wide officers for all); admins and auditors for all.
* Runs, qualifying lists, the 精准推送 notification list and exports: staff (admin, officer,
  auditor); a district officer sees only the rows of firms in that district.
* Running a batch and importing policy-owned inputs: admins and city-wide officers (a batch
  covers the whole city); district officers may import inputs for their own district's firms.
* 免申即享 confirmation: admins and officers, for firms in their scope; auditors read only.
* The inbox: enterprise users, their own firm's notifications only.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import ALL_ROLES, define

STAFF_READ = (Role.admin, Role.officer, Role.auditor)

LIBRARY_READ = define("policy.read", *ALL_ROLES)
LOOKUP = define("policy.lookup", Role.admin, Role.officer, Role.auditor, Role.enterprise)
MINE = define("policy.mine", Role.enterprise)
RUN_READ = define("policy.run.read", *STAFF_READ)
RUN_CREATE = define("policy.run.create", Role.admin, Role.officer)
EXPORT = define("policy.export", *STAFF_READ)
AWARD_READ = define("policy.award.read", *STAFF_READ)
AWARD_DECIDE = define("policy.award.decide", Role.admin, Role.officer)
INPUT_READ = define("policy.input.read", *STAFF_READ)
INPUT_IMPORT = define("policy.input.import", Role.admin, Role.officer)
INBOX = define("policy.inbox", Role.enterprise)


def district_filter(actor: Actor, column: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
    """The scope of stored rows that carry a firm's district (results, notifications, awards)."""
    if actor.role is Role.enterprise:
        return false()
    if actor.role is Role.officer and actor.district is not None:
        return column == actor.district
    return true()


def city_wide(actor: Actor) -> bool:
    """True for actors whose view is not limited to one district or firm."""
    return actor.role in (Role.admin, Role.auditor) or (actor.role is Role.officer and actor.district is None)
