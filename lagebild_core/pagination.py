"""Cursor pagination shared by every collection: opaque cursors over a stable position."""
from __future__ import annotations

import base64
import binascii

from lagebild_core.exceptions import Invalid


def encode_cursor(position: int) -> str:
    """Return the opaque cursor of the page after `position`."""
    return base64.urlsafe_b64encode(f"p:{position}".encode()).decode().rstrip("=")


MAX_POSITION = 2**31 - 1  # positions are INTEGER columns: 32 bits on PostgreSQL


def decode_cursor(cursor: str) -> int:
    """Return the position a cursor stands for, or raise Invalid.

    Only what `encode_cursor` can have issued passes: "p:" and a position in the range of the
    columns it is compared with (a larger number would overflow the database's integer)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, position = raw.split(":", 1)
        if prefix != "p" or not position.isascii() or not position.isdigit() or len(position) > 10:
            raise ValueError(prefix)
        value = int(position)
        if not 1 <= value <= MAX_POSITION or encode_cursor(value) != cursor:
            raise ValueError(position)
        return value
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid("The cursor is not one this service issued.",
                      [{"field": "cursor", "message": "Unknown cursor; use the `next` link of a page."}])


def page(rows: list, limit: int, position) -> tuple[list, str | None]:
    """Return the first `limit` of `rows` (fetched as limit + 1) and the cursor after them, None
    on the last page; `position(row)` gives the row's place in the collection's stable order."""
    if len(rows) > limit:
        return rows[:limit], encode_cursor(position(rows[limit - 1]))
    return rows, None
