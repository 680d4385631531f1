"""The organisation directory: registry names matched against names from the news.

The firms here are invented for the tests.
"""

from __future__ import annotations

from longcheng.intel.linker import OrgDirectory, OrgName


class TestDirectory:
    directory = OrgDirectory(
        [
            OrgName("A", "常州星河光伏科技有限公司", ("常州星河新能源有限公司",)),
            OrgName("B", "江苏龙腾特钢集团有限公司"),
            OrgName("C", "常州天目湖储能有限公司"),
            OrgName("D", "溧阳天目湖储能有限公司"),
        ]
    )

    def test_exact_and_former_names_link_automatically(self) -> None:
        """The registry name, or a former name, is a link without review."""
        [exact] = self.directory.match("常州星河光伏科技有限公司")
        [former] = self.directory.match("常州星河新能源有限公司")
        assert (exact.uscc, exact.method, exact.auto) == ("A", "exact", True)
        assert (former.uscc, former.method, former.auto) == ("A", "former_name", True)

    def test_the_same_core_name_links_automatically(self) -> None:
        """ "龙腾特钢集团" is 江苏龙腾特钢集团有限公司 without region and legal form."""
        [found] = self.directory.match("龙腾特钢集团")
        assert (found.uscc, found.method, found.auto) == ("B", "fuzzy", True)

    def test_ambiguous_or_loose_names_wait_for_review(self) -> None:
        """Two firms with the same core, or a near name, are proposals, never automatic."""
        twins = self.directory.match("天目湖储能公司")
        assert {c.uscc for c in twins} == {"C", "D"}
        assert not any(c.auto for c in twins)
        [near] = self.directory.match("星河光伏集团")
        assert (near.uscc, near.auto) == ("A", False)
        assert 70 <= near.score < 92

    def test_unrelated_names_find_nothing(self) -> None:
        """A name sharing no distinctive part with the registry gives no candidate."""
        assert self.directory.match("中天钢铁集团") == []
