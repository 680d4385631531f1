"""Who may do what with talent records.

* Staff (admin, officer, auditor) read the records, masked; officers and admins edit them, run
  the imports and the monthly run. A district officer sees the people whose employer is in the
  district.
* ``talent:pii`` — reading an unmasked resident ID or bank account — is for admins and for the
  officers an admin granted it (the human-resources bureau's talent officers; roles are fixed, so
  the grant is a row in ``talent_pii_grants``). Every unmasked view is audited, and so is every
  refused attempt.
* A person (Role.talent, bound to their record) sees and downloads their own record, asks for a
  correction, confirms their identity and bank account, and is the only one who may change the
  bank account.
* An enterprise sees and confirms the employees declared for its own USCC.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, define
from longcheng.talent.models import PiiGrant

STAFF_READ = (Role.admin, Role.officer, Role.auditor)

READ = define("talent.read", *STAFF_READ)
EDIT = define("talent.edit", Role.admin, Role.officer)
PII = define("talent:pii", Role.admin, Role.officer)
PII_GRANT = define("talent.pii.grant", Role.admin)
IMPORT = define("talent.import", Role.admin, Role.officer, Role.enterprise)
RUN = define("talent.run", Role.admin, Role.officer)
EXPORT = define("talent.export", *STAFF_READ)
SELF = define("talent.self", Role.talent)
EMPLOYER = define("talent.employer", Role.enterprise)


def may_unmask(session: Session, actor: Actor | None) -> bool:
    """``talent:pii``: an admin, or an officer holding a grant."""
    if actor is None or not can(actor, PII):
        return False
    if actor.role is Role.admin:
        return True
    return (
        actor.id is not None
        and session.scalar(select(PiiGrant.id).where(PiiGrant.user_id == actor.id)) is not None
    )
