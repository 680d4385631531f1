"""The registry's reference lookups that other modules share for display."""

from __future__ import annotations

from longcheng.registry import reference as ref


class TestPlaceName:
    def test_code_becomes_the_chinese_name_and_unknown_is_blank(self) -> None:
        """A place code reads as its Chinese name; a blank or unknown code reads as nothing."""
        assert ref.place_name("wujin") == "武进区"
        assert ref.place_name(None) == ""
        assert ref.place_name("nowhere") == ""
        assert ref.place_name("武进") == ""

    def test_keep_unknown_resolves_aliases_and_keeps_strange_codes(self) -> None:
        """With ``keep_unknown`` (policy's lists) an alias reads as its place and an unknown code
        stays as it was, so a row never loses its district."""
        assert ref.place_name("wujin", keep_unknown=True) == "武进区"
        assert ref.place_name("武进", keep_unknown=True) == "武进区"
        assert ref.place_name("nowhere", keep_unknown=True) == "nowhere"
        assert ref.place_name("", keep_unknown=True) == ""


class TestIndustryName:
    def test_division_code_and_longer_codes_read_as_the_division(self) -> None:
        """A two-digit division and its 3–4 digit codes read as the division's name."""
        name = ref.industry_name("34")
        assert name
        assert ref.industry_name("3410") == name
        assert ref.industry_name(None) == ""
        assert ref.industry_name("99999") == ""
