"""Changzhou places that news names (常州 → 区/县级市 → 开发区/高新区/园区 → 镇/街道), for extraction.

The list is data (``data/places.yaml``). Districts and zones use the registry's codes, so a
place found in a news sentence links to the registry as it is; towns and the city have codes
of their own. ``PlaceMatcher`` finds every alias in a text, longest first (``武进国家高新区``
before ``武进``), and ``most_specific`` picks the place a fact belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: Levels from the broadest to the most specific.
LEVELS: tuple[str, ...] = ("city", "district", "zone", "town")


@dataclass(frozen=True)
class Place:
    """A place with its canonical name, the names documents use and its parent district."""

    code: str
    name: str
    level: str
    district: str | None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def rank(self) -> int:
        """How specific the place is: 0 for the city, 3 for a town."""
        return LEVELS.index(self.level)


def _places_from(data: dict[str, Any]) -> tuple[Place, ...]:
    out: list[Place] = []
    for section, level in (("city", "city"), ("districts", "district"), ("zones", "zone"), ("towns", "town")):
        for row in data.get(section, ()):
            district = row["code"] if level == "district" else row.get("district")
            out.append(Place(row["code"], row["name"], level, district, tuple(row.get("aliases", ()))))
    return tuple(out)


@cache
def load_places() -> tuple[Place, ...]:
    """The gazetteer shipped with the package."""
    text = resources.files("longcheng.intel.extractor").joinpath("data", "places.yaml").read_text("utf-8")
    return _places_from(yaml.safe_load(text))


PLACES: tuple[Place, ...] = load_places()


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    start: int
    end: int


class PlaceMatcher:
    """Finds gazetteer names in text with one compiled pattern (longest names first)."""

    def __init__(self, places: Iterable[Place] = PLACES) -> None:
        self.by_name: dict[str, Place] = {}
        for place in places:
            for name in place.names:
                self.by_name.setdefault(name, place)
        names = sorted(self.by_name, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[PlaceMention]:
        """Every place named in ``text[start:end]``, with offsets into ``text``."""
        if self._pattern is None:
            return []
        stop = len(text) if end is None else end
        return [
            PlaceMention(self.by_name[m.group()], m.start(), m.end())
            for m in self._pattern.finditer(text, start, stop)
        ]

    def lookup(self, name: str) -> Place | None:
        """The place a name or alias stands for."""
        return self.by_name.get(name.strip())


def most_specific(mentions: Iterable[PlaceMention], near: int) -> Place | None:
    """The most specific place mentioned; among equals, the one nearest to offset ``near``."""
    best: tuple[int, int] | None = None
    chosen: Place | None = None
    for mention in mentions:
        distance = min(abs(mention.start - near), abs(mention.end - near))
        key = (-mention.place.rank, distance)
        if best is None or key < best:
            best, chosen = key, mention.place
    return chosen
