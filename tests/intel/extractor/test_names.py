"""Known-name matching: the longest known name wins, within the bounds asked, short names too."""

from __future__ import annotations

from longcheng.intel.extractor.names import KnownNames


def found(known: KnownNames, text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [m.name for m in known.find(text, start, len(text) if end is None else end)]


def test_longest_name_wins_among_names_sharing_a_prefix() -> None:
    """Of 常州天目, 常州天目湖科技 and 常州天目湖科技有限公司, the longest present in the text is found."""
    known = KnownNames(["常州天目", "常州天目湖科技", "常州天目湖科技有限公司", "江苏龙城精工"])
    assert found(known, "据悉常州天目湖科技有限公司与江苏龙城精工签约") == [
        "常州天目湖科技有限公司",
        "江苏龙城精工",
    ]
    assert found(known, "常州天目湖科技公司") == ["常州天目湖科技"]


def test_a_name_running_past_the_end_is_not_matched() -> None:
    """A name is found only when it lies wholly inside ``text[start:end]``."""
    known = KnownNames(["常州天目湖科技", "常州天目"])
    assert found(known, "常州天目湖科技", end=6) == ["常州天目"]
    assert found(known, "甲常州天目湖科技", start=1, end=4) == []


def test_two_and_three_character_names_and_blank_input() -> None:
    """Names of two or three characters match; blanks and single characters are ignored."""
    known = KnownNames(["中天", "天合光", " ", "龙", "  中天钢铁集团 "])
    assert found(known, "中天钢铁集团和天合光、中天") == ["中天钢铁集团", "天合光", "中天"]
    assert not KnownNames(["", "龙"])
    assert KnownNames(["中天"])
