"""Cursor pagination shared by every collection: opaque cursors over a stable position.

A cursor is the position (a 32-bit column value) as six big-endian bytes in unpadded base64url:
eight characters, the first three of which can only be `AA` and `A` or `B`. Every string of that
shape is a cursor the service can issue, so the pattern below describes the valid cursors exactly
(a contract test generates cursors from it and expects them to be accepted)."""
from __future__ import annotations

import base64
import datetime as dt
import re

from lagebild_core.exceptions import Invalid

MAX_POSITION = 2**31 - 1  # positions are INTEGER columns: 32 bits on PostgreSQL
CURSOR_PATTERN = r"^AA[AB][A-Za-z0-9_-]{5}$"
_CURSOR = re.compile(CURSOR_PATTERN)


def encode_cursor(position: int) -> str:
    """Return the opaque cursor of the page after `position` (0 ≤ position ≤ MAX_POSITION)."""
    return base64.urlsafe_b64encode(position.to_bytes(6, "big")).decode()


def decode_cursor(cursor: str) -> int:
    """Return the position a cursor stands for, or raise Invalid when it is not of the issued shape
    (a larger number would overflow the database's integer)."""
    if not isinstance(cursor, str) or not _CURSOR.fullmatch(cursor):
        raise Invalid("The cursor is not one this service issued.",
                      [{"field": "cursor", "message": "Unknown cursor; use the `next` link of a page."}])
    return int.from_bytes(base64.urlsafe_b64decode(cursor), "big")


def page(rows: list, limit: int, position) -> tuple[list, str | None]:
    """Return the first `limit` of `rows` (fetched as limit + 1) and the cursor after them, None
    on the last page; `position(row)` gives the row's place in the collection's stable order."""
    if len(rows) > limit:
        return rows[:limit], encode_cursor(position(rows[limit - 1]))
    return rows, None


def check_date_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    """Raise Invalid for the empty range of a collection's `from`/`to` filters (`from` after `to`)."""
    if date_from and date_to and date_from > date_to:
        raise Invalid("The range is empty: `from` is after `to`.",
                      [{"field": "from", "message": "Must not be after `to`."}])
