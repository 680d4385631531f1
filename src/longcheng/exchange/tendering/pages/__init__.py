"""Pages of e-tendering (templates in ``exchange/templates/exchange/tender*.html``).

* :mod:`.public` — the tenders list (search, filters, paging, XLSX) and a tender's notice,
  documents and 答疑, with the forms the signed-in role may use (start here).
* :mod:`.opening` — the 开标 page: key-share slots, bids received, the decryption record.
* :mod:`.review` — the 评标 page (panel, declaration first, scores or compliance findings) and
  the 中标候选人公示 page with objections, replies and the award.

Every page shows only the forms the role may use; the services check again.
"""

from fastapi import APIRouter

from longcheng.exchange.tendering.pages import opening, public, review

router = APIRouter(include_in_schema=False)
for part in (public.router, opening.router, review.router):
    router.include_router(part)

__all__ = ["router"]
