"""Cursor pagination shared by every collection: opaque cursors over a stable position."""
from __future__ import annotations

import base64
import binascii

from lagebild_core.exceptions import Invalid


def encode_cursor(position: int) -> str:
    """Return the opaque cursor of the page after `position`."""
    return base64.urlsafe_b64encode(f"p:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Return the position a cursor stands for, or raise Invalid."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, position = raw.split(":", 1)
        if prefix != "p":
            raise ValueError(prefix)
        return int(position)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid("The cursor is not one this service issued.",
                      [{"field": "cursor", "message": "Unknown cursor; use the `next` link of a page."}])


def page(rows: list, limit: int, position) -> tuple[list, str | None]:
    """Return the first `limit` of `rows` (fetched as limit + 1) and the cursor after them, None
    on the last page; `position(row)` gives the row's place in the collection's stable order."""
    if len(rows) > limit:
        return rows[:limit], encode_cursor(position(rows[limit - 1]))
    return rows, None
