"""The rows a file hands to its raw table (docs/raw-layer.md), built and inserted as columns.

A file's accepted rows are never turned into one dict each: the parsed columns of its
`block.Block` are filtered to the rows that passed, the few derived columns are computed
column-wise, and the lineage every row shares (file, sha256, run, load time) is bound once in
the INSERT instead of repeated per row.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from json.encoder import encode_basestring

import numpy as np

from pipelines.ingest.block import Block
from pipelines.ingest.sheet import Event, Layout
from pipelines.ingest.values import cell_text


def candidate_key(citizen_id: str, key: bytes) -> str:
    return hmac.new(key, citizen_id.encode("utf-8"), hashlib.sha256).hexdigest()


def raw_columns(kind: str, layout: Layout, block: Block, events: list[Event], keep: list[int] | None,
                key: bytes) -> dict[str, list[object]]:
    """The raw table's own columns plus `source_row` and `extra_columns` for the kept rows
    (all rows when `keep` is None); `events` are the block's rows, in order."""
    if keep is None:
        columns = {name: list(values) for name, values in block.columns.items()}
        kept = events
    else:
        columns = {name: [values[i] for i in keep] for name, values in block.columns.items()}
        kept = [events[i] for i in keep]
    if kind == "enterprises":
        columns["zone_code"] = columns.pop("industrial_zone")  # snapshot_as_of is set per file afterwards
    elif kind == "candidates":
        columns["candidate_key"] = [candidate_key(c, key) for c in columns["citizen_id"]]
        columns["birth_year"] = [b.year if isinstance(b, date) else None for b in columns["birth_date"]]
    elif kind == "control_totals":
        pairs = columns.pop("value")
        columns["value"] = [p[0] for p in pairs]
        columns["value_decimals"] = [p[1] for p in pairs]
    columns["source_row"] = [e.source_row for e in kept]
    columns["extra_columns"] = extra_columns(layout, [e.cells for e in kept])
    return columns


def extra_columns(layout: Layout, rows: list[list[object]]) -> list[str]:
    """Per row, JSON of the cells under no known column: a named extra header always appears
    (blank or not), an unnamed cell only when it holds text, as "(cột N)"."""
    by_width: dict[int, list[int]] = {}
    out = []
    for cells in rows:
        width = len(cells)
        indexes = by_width.get(width)
        if indexes is None:
            indexes = by_width[width] = [i for i in range(width) if i not in layout.columns]
        extra = {}
        for index in indexes:
            cell = cells[index]
            text = "" if cell is None or cell == "" else cell_text(cell)  # most extra cells are blank
            header = layout.extra.get(index) or (f"(cột {index + 1})" if text else None)
            if header is not None:
                extra[header] = text
        out.append(_json_object(extra) if extra else "{}")
    return out


def _json_object(texts: dict[str, str]) -> str:
    """`json.dumps(texts, ensure_ascii=False)` for a dict of str to str, character for character,
    without the encoder's per-call set-up (it ran once per row of every file with an extra column)."""
    return "{" + ", ".join(f"{encode_basestring(k)}: {encode_basestring(v)}" for k, v in texts.items()) + "}"


def insert_columns(con, table: str, columns: dict[str, list[object]], shared: dict[str, object]) -> None:
    """One INSERT … BY NAME of equal-length columns plus `shared` values bound once for every row."""
    if not columns or not len(next(iter(columns.values()))):
        return
    arrays = {name: np.array(values, dtype=object) for name, values in columns.items()}  # DuckDB scans a dict of arrays
    names = list(shared)
    select = ", ".join(["*"] + [f'? AS "{name}"' for name in names])
    con.register("_uw_insert_columns", arrays)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT {select} FROM _uw_insert_columns",
                    [shared[name] for name in names])
    finally:
        con.unregister("_uw_insert_columns")
