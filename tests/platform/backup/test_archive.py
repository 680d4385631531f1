"""The archive's value encoding: every kind of column value reads back exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from longcheng.platform.backup.archive import ArchiveCorrupt, Manifest, decode, encode, kind_of


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        datetime(2026, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8))),
        date(2026, 2, 28),
        Decimal("12345678901234567890.0001"),
        b"\x00\xffbytes",
        {"clause": ["a", 1]},
        "常州",
        42,
        None,
    ],
)
def test_values_round_trip_through_json(value: object) -> None:
    """Encoding to JSON and decoding by the value's kind gives back an equal value."""
    kind = kind_of(type(value)) if value is not None else "plain"
    assert decode(json.loads(json.dumps(encode(value))), kind) == value


def test_naive_datetime_is_refused() -> None:
    """A naive datetime cannot be written: its instant would be ambiguous on the other backend."""
    with pytest.raises(ValueError, match="naive"):
        encode(datetime(2026, 1, 1))


def test_manifest_refuses_a_file_path_outside_the_store() -> None:
    """A manifest naming ``../`` paths is refused before anything is written."""
    manifest = Manifest(revisions=["0001"], created_at="2026-01-01T00:00:00+00:00", backend="sqlite")
    raw = json.loads(manifest.to_json())
    raw["files"] = [{"path": "../../etc/passwd", "size": 1, "sha256": "0" * 64}]
    with pytest.raises(ArchiveCorrupt) as err:
        Manifest.from_json(json.dumps(raw).encode())
    assert "越出" in err.value.details["原因"]
