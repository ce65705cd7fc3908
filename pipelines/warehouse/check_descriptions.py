"""What each dbt test checks, in words, for its asset check in the Dagster UI.

dagster-dbt describes a test's check only from `meta.description`, which generic tests
never have, so the UI said "No description provided" 190 times. The description is built
from the test itself (its kind and arguments), Vietnamese then English, and says whether a
failure blocks publishing (an error-severity test on a mart: `docs/architecture.md`). A
test with its own dbt description (a singular test) keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def _ref(text: str) -> str:
    """`ref('dim_period')` → `dim_period`."""
    found = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]\s*\)", str(text))
    return found.group(1) if found else str(text)


def _what(kind: str, args: Mapping[str, Any]) -> tuple[str, str]:
    column = args.get("column_name") or ""
    if kind == "not_null":
        return f"Cột {column} không được trống", f"{column} is never null"
    if kind == "unique":
        return f"Cột {column} không có giá trị trùng", f"{column} is unique"
    if kind == "accepted_values":
        values = ", ".join(str(v) for v in args.get("values") or [])
        return f"Cột {column} chỉ nhận: {values}", f"{column} takes only: {values}"
    if kind == "relationships":
        target = f"{_ref(args.get('to', ''))}.{args.get('field', '')}"
        return f"Mọi giá trị {column} đều có trong {target}", f"every {column} exists in {target}"
    if kind == "unique_combination":
        columns = ", ".join(args.get("combination_of_columns") or [])
        return f"Mỗi tổ hợp ({columns}) chỉ có một dòng", f"one row per ({columns})"
    if kind == "expression_is_true":
        expression = args.get("expression", "")
        where = f" (khi {args['where_clause']})" if args.get("where_clause") else ""
        where_en = f" (where {args['where_clause']})" if args.get("where_clause") else ""
        return f"Luôn đúng: {expression}{where}", f"always true: {expression}{where_en}"
    if kind == "sums_match":
        compare = _ref(args.get("compare_model", ""))
        return (f"Tổng theo nhóm bằng số liệu chung trong {compare}",
                f"the breakdown adds up to the totals in {compare}")
    return f"Kiểm thử dbt {kind}", f"dbt test {kind}"


def describe_test(test: Mapping[str, Any], attached_schema: str | None) -> str:
    own = " ".join((test.get("description") or "").split())
    if own:
        vi_en = own
    else:
        metadata = test.get("test_metadata") or {}
        vi, en = _what(metadata.get("name", test.get("name", "")), metadata.get("kwargs") or {})
        vi_en = f"{vi}. / {en}."
    severity = (test.get("config") or {}).get("severity", "error").lower()
    if severity == "error" and attached_schema == "marts":
        return f"{vi_en} Không đạt thì chặn công bố. / A failure blocks publishing."
    if severity == "warn":
        return f"{vi_en} Chỉ cảnh báo. / Warning only."
    return vi_en
