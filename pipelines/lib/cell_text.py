"""Text from the inbox, made safe to hand back in a spreadsheet or a CSV.

Enterprise names, file names and observed values are typed by hundreds of people; a value
such as `=HYPERLINK(...)` or `@SUM(...)` must reach the reader as text and never run.
Writers keep a text cell a string (never a formula) and, when it starts like a formula,
mark it so Excel keeps it text even after someone edits the cell (the quote prefix), or,
in a CSV that Excel would evaluate on opening, prefix it with an apostrophe.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_safe(value: object) -> str:
    """A CSV cell Excel shows as the text it is (an apostrophe before a formula-like start)."""
    text = "" if value is None else str(value)
    return "'" + text if starts_like_formula(text) else text
