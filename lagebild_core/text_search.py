"""Substring search in folded text columns, shared by the actor, quote and other list filters.

Folded: lower-case, umlauts spelled out, accents removed (`registry.ascii_fold`), on both the
stored column and the query, so "Beloussow" finds "beloussow" and "Erdoğan" finds "erdogan".
"""
from __future__ import annotations

from lagebild_core.registry import ascii_fold


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (with `escape="\\"`): %, _ and \\ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(text: str) -> str:
    """The LIKE pattern (escape "\\") of `text`, folded, anywhere in a folded column."""
    return f"%{escape_like(ascii_fold(text.strip()))}%"
