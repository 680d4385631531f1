"""The place gazetteer: Changzhou districts, zones and towns normalised to one code each."""

from __future__ import annotations

import pytest

from longcheng.intel.extractor.gazetteer import PLACES, PlaceMatcher, most_specific
from longcheng.registry import reference


def test_district_and_zone_codes_are_the_registrys() -> None:
    """A place found in news links to the registry's place with the same code and district."""
    registry = reference.places()
    for place in PLACES:
        if place.level in ("district", "zone"):
            assert place.code in registry, place.code
            assert registry[place.code].district == place.district, place.code


def test_every_name_points_to_one_place() -> None:
    """No alias is shared by two places, so normalisation is unambiguous."""
    seen: dict[str, str] = {}
    for place in PLACES:
        for name in place.names:
            assert seen.setdefault(name, place.code) == place.code, name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("常州国家高新区", "cz_hitech"),
        ("常州高新区", "cz_hitech"),
        ("武进国家高新区", "wj_hitech"),
        ("常州经开区管委会", "cz_etdz"),
        ("溧阳高新区", "ly_hitech"),
        ("西太湖科技产业园", "west_taihu"),
        ("常州科教城", "kejiaocheng"),
        ("金坛", "jintan"),
        ("嘉泽镇", "town_jiaze"),
    ],
)
def test_names_and_aliases_normalise_to_a_code(text: str, code: str) -> None:
    """The longest name wins: 武进国家高新区 is the zone, not the district 武进."""
    place = most_specific(PlaceMatcher().find(text), 0)
    assert place is not None
    assert place.code == code


def test_most_specific_prefers_zones_and_towns_to_districts() -> None:
    """In "武进区嘉泽镇", the fact belongs to the town."""
    mentions = PlaceMatcher().find("武进区嘉泽镇")
    place = most_specific(mentions, 0)
    assert place is not None
    assert (place.code, place.district) == ("town_jiaze", "wujin")
