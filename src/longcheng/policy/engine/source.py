"""Reading pack YAML with positions, and without YAML 1.1's surprises.

Every mapping becomes a ``LocDict`` that remembers where each value stands, every string a
``LocStr`` that knows its own line and column, so loader errors point at the exact place.
The loader is stricter than PyYAML's default, because a payment rule must not change meaning
by accident:

* a tab anywhere in the file is refused (``policy.yaml_tab``), with its line and column;
* a duplicate key is refused instead of silently keeping the last one;
* only ``true``/``false`` are booleans (``no``, ``on``, ``yes`` stay strings);
* only plain decimal digits are integers (``012`` is not octal, ``1:30`` is not 90);
* a number with a decimal point becomes an exact ``Decimal`` from its source text, never a float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from longcheng.policy.engine.errors import Loc, PackError

_INT_RE = re.compile(r"^[-+]?[0-9][0-9_]*$")
_DECIMAL_RE = re.compile(r"^[-+]?[0-9][0-9_]*\.[0-9_]*$")


class LocStr(str):
    """A string scalar with the place its text starts (after any quote or block indicator)."""

    loc: Loc
    block: bool

    def at(self, offset: int) -> Loc:
        """The place of the character ``offset`` inside the string."""
        before = self[:offset]
        newlines = before.count("\n")
        if not self.block and newlines == 0:
            return Loc(self.loc.file, self.loc.line, self.loc.column + offset)
        column = offset - (before.rfind("\n") + 1) if newlines else offset
        return Loc(self.loc.file, self.loc.line + newlines, self.loc.column + column)


class LocDict(dict[Any, Any]):
    """A mapping that knows where it starts and where each of its values stands."""

    loc: Loc
    locs: dict[Any, Loc]

    def loc_of(self, key: Any) -> Loc:
        return self.locs.get(key, self.loc)


class LocList(list[Any]):
    """A sequence that knows where it starts and where each item stands."""

    loc: Loc
    locs: list[Loc]


class _Loader(yaml.SafeLoader):
    file_name: str = ""
    source_lines: list[str]


def _mark_loc(loader: _Loader, mark: yaml.Mark) -> Loc:
    return Loc(loader.file_name, mark.line + 1, mark.column + 1)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> LocDict:
    loader.flatten_mapping(node)
    result = LocDict()
    result.loc = _mark_loc(loader, node.start_mark)
    result.locs = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise PackError(
                "policy.yaml_duplicate_key",
                f"键“{key}”重复出现",
                loc=_mark_loc(loader, key_node.start_mark),
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.locs[key] = _mark_loc(loader, value_node.start_mark)
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> LocList:
    result = LocList(loader.construct_object(item, deep=True) for item in node.value)
    result.loc = _mark_loc(loader, node.start_mark)
    result.locs = [_mark_loc(loader, item.start_mark) for item in node.value]
    return result


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> LocStr:
    text = LocStr(node.value)
    loc = _mark_loc(loader, node.start_mark)
    text.block = node.style in ("|", ">")
    if text.block:
        first = loc.line  # the content starts on the line after the indicator
        line_text = loader.source_lines[first] if first < len(loader.source_lines) else ""
        indent = len(line_text) - len(line_text.lstrip(" "))
        loc = Loc(loc.file, first + 1, indent + 1)
    elif node.style in ('"', "'"):
        loc = Loc(loc.file, loc.line, loc.column + 1)
    text.loc = loc
    return text


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int | LocStr:
    if _INT_RE.match(node.value):
        return int(node.value.replace("_", ""))
    return _construct_str(loader, node)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Decimal | LocStr:
    if _DECIMAL_RE.match(node.value):
        try:
            return Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            pass
    return _construct_str(loader, node)


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool | LocStr:
    if node.value.lower() in ("true", "false"):
        return bool(node.value.lower() == "true")
    return _construct_str(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def load_yaml_text(text: str, file_name: str) -> Any:
    """Parse one YAML document; errors carry ``file_name`` with line and column."""
    for number, line in enumerate(text.splitlines(), start=1):
        column = line.find("\t")
        if column >= 0:
            raise PackError(
                "policy.yaml_tab",
                "YAML 文件中不能使用制表符（Tab），请改用空格缩进",
                loc=Loc(file_name, number, column + 1),
            )
    loader = _Loader(text)
    loader.file_name = file_name
    loader.source_lines = text.splitlines()
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Loc(file_name, mark.line + 1, mark.column + 1) if mark else Loc(file_name)
        raise PackError("policy.yaml_syntax", f"YAML 语法错误：{exc.problem or exc}", loc=loc) from exc
    except yaml.YAMLError as exc:
        raise PackError("policy.yaml_syntax", f"YAML 语法错误：{exc}", loc=Loc(file_name)) from exc
    finally:
        loader.dispose()


def load_yaml_file(path: Path, root: Path) -> Any:
    """Load a pack file; positions name it relative to the pack root."""
    try:
        name = str(path.relative_to(root))
    except ValueError:
        name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PackError("policy.yaml_encoding", "文件不是 UTF-8 编码", loc=Loc(name)) from exc
    return load_yaml_text(text, name)


def loc_of(container: Any, key: Any, default: Loc) -> Loc:
    """The position of ``container[key]`` when the container knows it."""
    if isinstance(container, LocDict):
        return container.loc_of(key)
    if isinstance(container, LocList) and isinstance(key, int) and key < len(container.locs):
        return container.locs[key]
    return default
