"""The ``<option>`` tags of a select: escaped, the current choice marked, never stale."""

from __future__ import annotations

from dataclasses import dataclass

from longcheng.core.options import option_tags


@dataclass(frozen=True)
class Place:
    code: str
    name: str


def test_pairs_strings_and_objects_render_like_the_macro_did() -> None:
    pairs = [("a", "甲"), ("b", "乙")]
    assert option_tags(pairs, "b") == '<option value="a" >甲</option><option value="b" selected>乙</option>'
    assert option_tags(["李四"], "李四") == '<option value="李四" selected>李四</option>'
    places = [Place("xinbei", "新北区")]
    assert option_tags(places, None, "code", "name") == '<option value="xinbei" >新北区</option>'


def test_names_are_escaped() -> None:
    html = option_tags([('"><script>', "<b>甲</b>")], None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html


def test_the_same_list_marks_each_request_own_choice() -> None:
    pairs = [("a", "甲"), ("b", "乙")]
    assert 'a" selected' in option_tags(pairs, "a")
    assert 'b" selected' in option_tags(pairs, "b")
    assert "selected" not in option_tags(pairs, "z")


def test_a_new_list_is_never_answered_from_an_older_one() -> None:
    """A changed list of leaders shows its new names at once."""
    for n in range(300):  # more lists than are kept, each made and dropped
        names = [f"领导{n}"]
        assert option_tags(names, None) == f'<option value="领导{n}" >领导{n}</option>'
