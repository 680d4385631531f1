"""The ``<option>`` tags of a filter's or a form's ``<select>``, escaped once and kept.

A list page's filter bar offers a few hundred choices (117 industries, the parks, the leaders,
the lists) and drew each of them through a Jinja loop with two escapes on every request: a
fifth of the projects page's CPU. The escaped tags are kept per list of choices (the same object
from one request to the next: reference data, or a value kept by :mod:`longcheng.core.totals`),
and only the ``selected`` mark is placed per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any

from markupsafe import Markup, escape

MAX_LISTS = 256

_lock = threading.Lock()
_kept: OrderedDict[tuple[int, Hashable, Hashable], tuple[object, list[tuple[Any, str, str]]]] = OrderedDict()


def _item(option: Any, key: Hashable) -> Any:
    """``option[key]``, or its attribute ``key`` (as Jinja reads ``o[value]``)."""
    try:
        return option[key]
    except (TypeError, LookupError):
        return getattr(option, str(key))


def _escaped(options: Iterable[Any], value: Hashable, text: Hashable) -> list[tuple[Any, str, str]]:
    out = []
    for o in options:
        v, t = (o, o) if isinstance(o, str) else (_item(o, value), _item(o, text))
        out.append((v, f'<option value="{escape(v)}" ', f">{escape(t)}</option>"))
    return out


def option_tags(options: Iterable[Any], current: Any, value: Hashable = 0, text: Hashable = 1) -> Markup:
    """``<option value="v" selected>甲</option><option value="w" >乙</option>…`` for ``options``:
    plain strings, pairs (``value``, ``text`` are indexes) or objects (attribute names)."""
    key = (id(options), value, text)
    with _lock:
        found = _kept.get(key)
    if found is not None and found[0] is options:
        tags = found[1]
    else:
        tags = _escaped(options, value, text)
        with _lock:  # the list itself is kept with its tags, so its id cannot be reused meanwhile
            _kept[key] = (options, tags)
            _kept.move_to_end(key)
            while len(_kept) > MAX_LISTS:
                _kept.popitem(last=False)
    return Markup(
        "".join(f"{head}selected{tail}" if v == current else f"{head}{tail}" for v, head, tail in tags)
    )
