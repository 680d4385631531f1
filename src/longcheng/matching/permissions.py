"""Who may do what in matching: publish challenges, accept agreements and propose, manage."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import define

CHALLENGE_PUBLISH = define("matching.challenge.publish", Role.admin, Role.officer, Role.enterprise)
CHALLENGE_SOLVE = define("matching.challenge.solve", Role.enterprise, Role.talent, Role.reviewer)
CHALLENGE_MANAGE = define("matching.challenge.manage", Role.admin, Role.officer)
# The board is public; this action only puts it in the navigation of every signed-in role.
BOARD_READ = define("matching.board.read", *Role)
CAPABILITY_EDIT = define("matching.capability.edit", Role.admin, Role.officer, Role.enterprise)
