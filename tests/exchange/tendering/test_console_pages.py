"""The officers' tendering pages: the list (search, filters, XLSX), the tender with its 答疑 form,
the opening page, the evaluation page (declaration first) and the publicity page with objections;
each role sees only the forms it may use and is refused the pages it may not open."""

from __future__ import annotations

from tests.exchange.tendering.conftest import TenderWorld
from tests.exchange.tendering.test_evaluation import _expert


def _page(tw: TenderWorld, url: str, who: dict[str, str] | None = None) -> str:
    r = tw.w.client.get(url, headers=who or {})
    assert r.status_code == 200, (url, r.text[:300])
    return r.text


def _post(tw: TenderWorld, url: str, who: dict[str, str], **data: object) -> None:
    r = tw.w.client.post(url, data=data, headers=who, follow_redirects=False)
    assert r.status_code in (200, 303), (url, r.text[:400])


def test_the_list_searches_filters_and_exports(tw: TenderWorld) -> None:
    code = tw.create()
    assert code in _page(tw, "/exchange/tenders?q=智慧园区")
    assert code not in _page(tw, "/exchange/tenders?q=不存在的项目")
    assert code not in _page(tw, "/exchange/tenders?status=awarded")
    assert code in _page(tw, "/exchange/tenders?procedure=open&institution=CZ")
    xlsx = tw.w.client.get("/exchange/tenders.xlsx?status=bidding", headers=tw.w.operator)
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")


def test_the_tender_runs_through_its_pages_and_each_role_sees_its_own_forms(
    tw: TenderWorld, other_operator: dict[str, str]
) -> None:
    code = tw.create()
    url = f"/exchange/tenders/{code}"
    assert "发布答疑" in _page(tw, url, tw.w.operator)
    anonymous = _page(tw, url)
    assert "发布答疑" not in anonymous
    assert "/opening" not in anonymous
    assert "/evaluation" not in anonymous
    assert "发布答疑" not in _page(tw, url, other_operator)
    _post(tw, f"{url}/documents", tw.w.operator, title="答疑一", body="问：交货期？答：合同签订后30日。")
    assert "合同签订后30日" in _page(tw, url)
    shown = tw.w.client.post(f"{url}/my-share", headers=tw.officers[0])
    assert shown.status_code == 200
    assert 'id="share"' in shown.text
    tw.shares.append(shown.text.split('id="share">')[1].split("<")[0])
    for h in tw.officers[1:]:
        tw.shares.append(
            str(tw.w.client.post(f"/api/v1/exchange/tenders/{code}/my-share", headers=h).json()["share"])
        )
    for i, price in enumerate(("950000", "930000", "990000")):
        b = tw.w.bidders[i]
        tw.w.fund(b, "50000")
        assert "报名并交纳投标保证金" in _page(tw, url, b.headers)
        _post(tw, f"{url}/entrants", b.headers)
        assert "密封并递交" in _page(tw, url, b.headers)
        _post(tw, f"{url}/bids", b.headers, price=price)
    assert tw.w.client.get(f"{url}/opening", headers=tw.w.bidders[0].headers).status_code == 403
    assert tw.w.client.get(f"{url}/opening", headers=other_operator).status_code == 403
    sealed = _page(tw, f"{url}/opening", tw.w.operator)
    assert "投标接收情况" in sealed
    assert "密封中" in sealed
    assert "950,000" not in sealed
    tw.reach_opening()
    for k in (0, 1):
        assert "出示密钥分片" in _page(tw, f"{url}/opening", tw.officers[k])
        _post(tw, f"{url}/shares", tw.officers[k], share=tw.shares[k])
    _post(tw, f"{url}/open", tw.w.operator)
    opened = _page(tw, f"{url}/opening", tw.w.operator)
    assert "解密记录" in opened
    assert "930000.0" in opened
    experts = [_expert(tw, f"pg{k}") for k in range(5)]
    assert tw.w.client.get(f"{url}/evaluation", headers=tw.w.bidders[0].headers).status_code == 403
    assert "随机抽取评标专家" in _page(tw, f"{url}/evaluation", tw.w.admin)
    _post(tw, f"{url}/panel", tw.w.admin)
    for h in experts:
        first = _page(tw, f"{url}/evaluation", h)
        assert "签署声明" in first
        assert "930,000" not in first
        _post(tw, f"{url}/declaration", h, has_conflict="no")
        scoring = _page(tw, f"{url}/evaluation", h)
        for bid_id in sorted({int(x.split('"')[0]) for x in scoring.split('name="bid_id" value="')[1:]}):
            _post(tw, f"{url}/evaluations", h, bid_id=bid_id, technical=80)
    assert "综合得分" in _page(tw, f"{url}/evaluation", tw.w.operator)
    assert "发布中标候选人公示" in _page(tw, f"{url}/publicity", tw.w.operator)
    _post(tw, f"{url}/publicity", tw.w.operator)
    public = _page(tw, f"{url}/publicity")
    assert tw.w.bidders[1].name in public
    assert "异议与答复" not in public
    _post(tw, f"{url}/objections", tw.w.bidders[2].headers, text="第一中标候选人业绩证明存疑")
    assert "第一中标候选人业绩证明存疑" not in _page(tw, f"{url}/publicity", tw.w.bidders[0].headers)
    staff = _page(tw, f"{url}/publicity", tw.w.operator)
    assert "第一中标候选人业绩证明存疑" in staff
    assert "确定中标人" in staff
    oid = staff.split("/objections/")[1].split("/")[0]
    _post(tw, f"{url}/objections/{oid}/reply", tw.w.operator, reply="经核查业绩证明真实有效。")
    assert "经核查业绩证明真实有效" in _page(tw, f"{url}/publicity", tw.w.bidders[2].headers)
