"""Many data rows of one file at once: the verdicts of `records.parse_row`, column by column.

Why: at national size ingest reads ~5 M rows, and parsing them one dict at a time was most
of a cold run. Here each column's distinct cells are parsed once, the logic rules look at
whole columns and ask `records.logic_problems` only about the rows that may break one, and
the rows that pass leave as columns, never as dicts. `parse_row` stays the plain statement
of the rules; `tests/ingest/test_block.py` holds the two equal on generated rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import itemgetter

from pipelines.ingest.columns import Kind
from pipelines.ingest.messages import Problem
from pipelines.ingest.records import RowResult, logic_problems, parse_cell, uncached_cell
from pipelines.ingest.sheet import Layout
from pipelines.ingest.values import ValueProblem
from pipelines.lib.quarters import quarter_start

# Pairs that `logic_problems` compares as "left > right" (counts) or "left < right" (dates), per
# kind; a row is asked about only when one of them holds there or one of its dates is after today.
# Kinds not listed are small (candidates, party organisations, control totals): every row is asked.
_GREATER = {"union_reports": (("members_total", "workers_total"), ("workers_female", "workers_total"),
                              ("members_female", "members_total"),
                              ("admitted_via_core_cell", "candidates_admitted"))}
SCREENED_KINDS = frozenset({"union_reports", "enterprises"})
# Types whose values can be equal across types (True == 1 == 1.0); cells of other types equal only
# cells of their own type (a date never equals a datetime, a str nothing but a str).
_EQUAL_ACROSS_TYPES = frozenset({bool, int, float})


@dataclass
class Block:
    """`columns`: every column of the kind → its parsed value per row (None where a cell broke a
    rule). `problems` and `restored` hold only the rows that have any, in `parse_row`'s order."""

    columns: dict[str, list[object]]
    problems: dict[int, list[Problem]]
    restored: dict[int, list[str]]
    size: int

    def record(self, row: int) -> dict[str, object]:
        return {name: values[row] for name, values in self.columns.items()}

    def result(self, row: int) -> RowResult:
        return RowResult(self.record(row), self.problems.get(row, []), self.restored.get(row, []))

    def sums(self, columns: tuple[str, ...], start: int, end: int) -> dict[str, int]:
        """Sum of each count column over rows [start, end). Count values are int or None, so
        dropping the falsy ones (None, 0) changes no sum."""
        return {name: sum(filter(None, self.columns[name][start:end])) for name in columns}


def parse_block(kind: Kind, layout: Layout, rows: list[list[object]], today: date) -> Block:
    size = len(rows)
    block = Block({}, {}, {}, size)
    narrowest = min(map(len, rows), default=0)
    for column in kind.columns:
        index = layout.positions.get(column.name)
        if index is None:
            raws = [None] * size
        elif index < narrowest:  # every row reaches the column (calamine's rows all do): picked in C
            raws = list(map(itemgetter(index), rows))
        else:
            raws = [c[index] if index < len(c) else None for c in rows]
        block.columns[column.name] = _parse_column(block, column, raws)
    for row in _rows_to_ask(kind.name, block, today):
        found = logic_problems(kind.name, block.record(row), today)
        if found:
            block.problems.setdefault(row, []).extend(found)
    return block


def _parse_column(block: Block, column, raws: list[object]) -> list[object]:
    """Each distinct (type, cell) is parsed once, and decides its rows' value once; the rows are
    visited one by one only for cells that break a rule, are blank in a required column or had a
    leading zero restored (a column the sheet lacks is one blank cell: no visit unless required).

    The type is part of a cell's identity only where equal values differ in type (True == 1 ==
    1.0, and the parsers tell them apart); a column holding at most one of those types is keyed
    by its cells alone, which spares a tuple per cell."""
    typed = len(set(map(type, raws)) & _EQUAL_ACROSS_TYPES) > 1
    keys = list(zip(map(type, raws), raws, strict=True)) if typed else raws
    parse = parse_cell if not column.personal else uncached_cell
    final: dict[object, object] = dict.fromkeys(keys)
    flagged: dict[object, tuple[ValueProblem | None, bool, bool]] = {}
    for key in final:
        value, restored, problem = parse(column.type, key[1] if typed else key)
        blank_required = problem is None and value is None and column.required_value
        if problem is not None or blank_required or restored:
            flagged[key] = (problem, blank_required, restored)
        if problem is not None:
            value = None
        elif value is None and column.default is not None:
            value = column.default
        final[key] = value
    out = list(map(final.__getitem__, keys))
    if flagged:
        _flag_rows(block, column, keys, flagged)
    return out


def _flag_rows(block: Block, column, keys: list[object],
               flagged: dict[object, tuple[ValueProblem | None, bool, bool]]) -> None:
    """The findings of the rows whose cell is flagged, in row order: the cell's rule, F009 for a
    blank required cell, a restored leading zero."""
    for row, key in enumerate(keys):
        if key not in flagged:
            continue
        problem, blank_required, restored = flagged[key]
        if problem is not None:
            observed = None if column.personal else problem.observed
            block.problems.setdefault(row, []).append(
                Problem(problem.rule_id, column.name, observed, problem.expected_vi, problem.expected_en))
            continue
        if blank_required:
            block.problems.setdefault(row, []).append(Problem("F009", column.name, None, "có giá trị", "a value"))
        if restored:
            block.restored.setdefault(row, []).append(column.name)


def _rows_to_ask(kind: str, block: Block, today: date) -> list[int]:
    """Rows where a logic rule may fire: a superset of those `logic_problems` flags, in order."""
    if kind not in SCREENED_KINDS:
        return list(range(block.size))
    rows: set[int] = set()
    for left, right in _GREATER.get(kind, ()):
        rows.update(i for i, (a, b) in enumerate(zip(block.columns[left], block.columns[right], strict=True))
                    if isinstance(a, int) and isinstance(b, int) and a > b)
    for values in block.columns.values():
        late = {v for v in set(values) if isinstance(v, date) and v > today}
        if late:
            rows.update(i for i, v in enumerate(values) if v in late)
    if kind == "union_reports":
        rows.update(i for i, (submitted, period) in enumerate(
            zip(block.columns["submitted_on"], block.columns["period"], strict=True))
            if isinstance(submitted, date) and isinstance(period, str) and submitted < _quarter_start(period))
    return sorted(rows)


@lru_cache(maxsize=512)
def _quarter_start(period: str) -> date:
    return quarter_start(period)
