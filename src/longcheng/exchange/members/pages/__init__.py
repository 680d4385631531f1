"""Pages of members (templates in ``exchange/templates/exchange/members/``).

* :mod:`.operators` — an institution's members for its operators: the list (search, status,
  paging, XLSX), a member's logins, clients, mandates and activity, the create and edit forms;
* :mod:`.desk` — a member's own desk (``/exchange/member``): its clients and mandates, a new
  mandate with its 委托书, and the listings and bids it acts in;
* revoking a mandate (``POST /exchange/mandates/{id}/revoke``) serves both, in :mod:`.desk`.

Every page shows only the forms the role may use; the services check again.
"""

from fastapi import APIRouter

from longcheng.exchange.members.pages import desk, operators

router = APIRouter(include_in_schema=False)
for part in (operators.router, desk.router):
    router.include_router(part)

__all__ = ["router"]
