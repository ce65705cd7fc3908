"""Small HTML building blocks shared by the report's sections.

One place formats and escapes a value, so no section can forget to: anything that
reaches the page from the data goes through `cell` or `escape`.
"""

from __future__ import annotations

from html import escape


def text(value: object) -> str:
    """How a value reads in the report: thousands separators, no trailing `.0` noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có / yes" if value else "không / no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def cell(value: object, numeric: bool = False, css: str = "") -> str:
    classes = " ".join(c for c in ("num" if numeric else "", css) if c)
    class_attr = f' class="{classes}"' if classes else ""
    return f"<td{class_attr}>{escape(text(value))}</td>"


def heading(vi: str, en: str, anchor: str = "") -> str:
    id_attr = f' id="{escape(anchor)}"' if anchor else ""
    return f'<h2{id_attr}>{escape(vi)} <span class="en">/ {escape(en)}</span></h2>'


def table(headers: list[tuple[str, str]], rows: list[str], table_id: str = "") -> str:
    head = "".join(f'<th>{escape(vi)}<br><span class="en">{escape(en)}</span></th>' for vi, en in headers)
    id_attr = f' id="{escape(table_id)}"' if table_id else ""
    return f"<table{id_attr}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
