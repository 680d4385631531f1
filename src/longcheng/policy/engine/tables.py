"""Files in and out of the batch: Parquet/CSV/Arrow to engine columns, results to XLSX/Parquet.

Money columns in files, by Arrow type:

* text (every CSV cell, or an Arrow string column): **yuan** as typed, ``123456789.87``; the
  plain form is converted vectorised, other accepted forms (``12,345``, ``一亿``) go through the
  same parser as ``--set``, and every refused cell is reported with its row number;
* decimal: **yuan**, exact; integer: **fen** (the platform's storage unit);
* floating point: refused (``policy.float_money``).

Nothing is evaluated if any cell is refused: a payment run never stops half way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from openpyxl import Workbook

from longcheng.policy.engine.amounts import MAX_MONEY_FEN, fen_to_yuan, parse_fen
from longcheng.policy.engine.batch import BatchResult, reason_text
from longcheng.policy.engine.compiler import VarSpec
from longcheng.policy.engine.errors import InputError
from longcheng.policy.engine.inputs import Column, column_key, enum_codes, parse_value
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.rules import Array, Kind

_PLAIN_YUAN = r"^-?\d{1,12}(\.\d{1,2})?$"
XLSX_MAX_ROWS = 1_048_575


def read_table(path: Path) -> pa.Table:
    """A CSV (every column read as text) or Parquet file as an Arrow table."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pq.read_table(path)
    if suffix == ".csv":
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8-sig").strip().split(",")
        types = {name: pa.string() for name in header}
        options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
        return pacsv.read_csv(path, convert_options=options)
    raise InputError("policy.input_format", f"不支持的输入文件“{path.name}”：请使用 .csv 或 .parquet")


def table_columns(pack: Pack, table: pa.Table, period: Period, entity: str = "enterprise") -> dict[str, Any]:
    """Arrow columns to engine ``Column`` objects (plus the id column as text)."""
    columns: dict[str, Any] = {}
    id_column = pack.entities[entity].id_column
    for name in table.column_names:
        if name == id_column:
            columns[name] = table.column(name).cast(pa.string()).to_numpy(zero_copy_only=False)
            continue
        found = column_key(pack, name, period, entity)
        if found is not None:
            columns[name] = arrow_column(found[0], table.column(name).combine_chunks(), name)
    return columns


def arrow_column(spec: VarSpec, array: pa.Array, key: str) -> Column:
    """One Arrow column to engine form, by the variable's type and the column's Arrow type."""
    known = None if array.null_count == 0 else np.asarray(array.is_valid())
    kind = spec.type.kind
    if pa.types.is_floating(array.type):
        raise InputError("policy.float_money", f"列“{key}”是浮点数：金额须为整数分或文本元，浮点数会丢失分")
    if kind is Kind.ENUM:
        return _enum_column(spec, array, key, known)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        values = _money_text(array, key) if kind is Kind.MONEY else _cells(spec, array, key)
    elif pa.types.is_decimal(array.type) and kind is Kind.MONEY:
        values = _decimal_fen(array, key)
    else:
        fill: bool | int = False if pa.types.is_boolean(array.type) else 0
        values = array.fill_null(fill).to_numpy(zero_copy_only=False)
        values = values.astype(bool if kind is Kind.BOOL else np.int64)
    return Column(values, known)


def _enum_column(spec: VarSpec, array: pa.Array, key: str, known: Array | None) -> Column:
    """Through Arrow's dictionary encoding: only the distinct values are looked up."""
    encoded = pc.dictionary_encode(array.cast(pa.string()).fill_null(""))
    distinct = np.array(encoded.dictionary.to_pylist(), dtype=str)
    lookup, known_lookup = enum_codes(spec, distinct, key)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    codes = lookup[indices]
    if known_lookup is not None:
        missing = ~known_lookup[indices]
        known = missing.__invert__() if known is None else known & ~missing
    return Column(codes, known)


def _money_text(array: pa.Array, key: str) -> Array:
    plain = pc.fill_null(pc.match_substring_regex(array, _PLAIN_YUAN), True)
    cleaned = pc.if_else(plain, array, pa.scalar("0"))
    fen = _decimal_fen(pc.cast(cleaned, pa.decimal128(18, 2)), key)
    others = np.flatnonzero(~np.asarray(plain))
    errors = []
    for row in others.tolist():
        try:
            fen[row] = parse_fen(str(array[row].as_py()))
        except InputError as exc:
            errors.append(f"第 {row + 2} 行：{exc.message_text}")
    if errors:
        shown = "；".join(errors[:10]) + (f"；另有 {len(errors) - 10} 处" if len(errors) > 10 else "")
        raise InputError(
            "policy.input_cells",
            f"列“{key}”有 {len(errors)} 个金额无法接受：{shown}",
            details={"rows": errors[:100]},
        )
    return fen


def _decimal_fen(array: pa.Array, key: str) -> Array:
    scale = array.type.scale
    if scale > 2:
        rounded = pc.cast(array, pa.decimal128(array.type.precision, 2), safe=True)
        array = rounded
    fen = pc.cast(pc.multiply(pc.fill_null(array, 0), pa.scalar(Decimal(100))), pa.int64())
    values = np.array(fen.to_numpy(zero_copy_only=False), dtype=np.int64)
    if len(values) and int(np.abs(values).max()) > MAX_MONEY_FEN:
        raise InputError("policy.input_range", f"列“{key}”的金额超出可计算范围（1万亿元）")
    return values


def _cells(spec: VarSpec, array: pa.Array, key: str) -> Array:
    values = np.zeros(len(array), dtype=bool if spec.type.kind is Kind.BOOL else np.int64)
    for row, cell in enumerate(array.to_pylist()):
        if cell is not None and str(cell).strip():
            values[row] = parse_value(spec, str(cell), f"列“{key}”第 {row + 2} 行")
    return values


def result_table(result: BatchResult) -> pa.Table:
    """One row per entity; per clause: qualifies, amount in fen, reason code."""
    id_column = result.pack.entities[result.entity].id_column
    arrays: dict[str, Any] = {id_column: pa.array(result.ids.astype(str))}
    for clause_id, outcome in result.outcomes.items():
        arrays[f"{clause_id}.qualifies"] = pa.array(outcome.qualifies)
        arrays[f"{clause_id}.amount_fen"] = pa.array(outcome.amount_fen)
        dictionary = pa.array(list(outcome.reason_codes))
        arrays[f"{clause_id}.reason"] = pa.DictionaryArray.from_arrays(
            pa.array(outcome.reason.astype(np.int32)), dictionary
        )
    return pa.table(arrays)


def write_parquet(result: BatchResult, path: Path) -> None:
    pq.write_table(result_table(result), path)


def write_xlsx(result: BatchResult, path: Path, *, progress: Callable[[int], None] | None = None) -> None:
    """An officer's workbook: one row per entity, per clause 是否符合 / 金额（元）/ 原因, then a summary."""
    if len(result.ids) > XLSX_MAX_ROWS:
        raise InputError(
            "policy.xlsx_too_large", f"共 {len(result.ids)} 行，超出 Excel 上限，请输出为 .parquet"
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("测算结果")
    for row in _xlsx_rows(result, progress):
        sheet.append(row)
    summary = workbook.create_sheet("汇总")
    summary.append(["条款", "名称", "解读", "符合数", "金额合计（元）"])
    for item in result.summary():
        summary.append(
            [item["clause"], item["title"], item["reading"], item["qualifying"], Decimal(item["total"])]
        )
    workbook.save(path)


def _xlsx_rows(result: BatchResult, progress: Callable[[int], None] | None) -> Iterator[list[Any]]:
    pack = result.pack
    header: list[Any] = [pack.entities[result.entity].label + "编号"]
    for clause_id in result.outcomes:
        title = pack.clauses[clause_id].title
        header += [f"{title}·是否符合", f"{title}·金额（元）", f"{title}·原因"]
    yield header
    texts = {
        cid: [reason_text(pack, cid, code) for code in o.reason_codes] for cid, o in result.outcomes.items()
    }
    columns = [
        (o.qualifies.tolist(), o.amount_fen.tolist(), o.reason.tolist(), texts[c])
        for c, o in result.outcomes.items()
    ]
    for row, entity_id in enumerate(result.ids.tolist()):
        line: list[Any] = [entity_id]
        for qualifies, amounts, reasons, labels in columns:
            line += [
                "是" if qualifies[row] else "否",
                Decimal(fen_to_yuan(amounts[row])),
                labels[reasons[row]],
            ]
        yield line
        if progress is not None and row % 10_000 == 9_999:
            progress(10_000)
    if progress is not None:
        progress(len(result.ids) % 10_000)


def write_result(result: BatchResult, path: Path, *, progress: Callable[[int], None] | None = None) -> None:
    """Write a batch result as ``.xlsx`` (officers) or ``.parquet`` (programs), by the suffix."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(result, path, progress=progress)
    elif suffix == ".parquet":
        write_parquet(result, path)
        if progress is not None:
            progress(len(result.ids))
    else:
        raise InputError("policy.output_format", f"不支持的输出文件“{path.name}”：请使用 .xlsx 或 .parquet")
