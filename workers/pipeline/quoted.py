"""Quoted stretches: the spans of a text between matching quotation marks.

`quoted_spans(text)` is the one finder every step uses (through `DocumentView.quoted`); the
quotation-mark pairs are data (`lexicons/document/quote_marks.tsv`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table

MAX_QUOTE_CHARS = 2500
QUOTE_MARKS = Path(__file__).resolve().parent / "lexicons" / "document" / "quote_marks.tsv"


@lru_cache(maxsize=1)
def quote_pairs() -> tuple[tuple[str, str, str], ...]:
    """Return (opening, closing, level) quotation mark pairs, longest marks first."""
    pairs = [(r["opening"], r["closing"], r["level"]) for r in read_table(QUOTE_MARKS)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _openings() -> re.Pattern:
    """Any opening mark: where `quoted_spans` need look for a quote at all."""
    return re.compile("|".join(re.escape(opening) for opening, _closing, _level in quote_pairs()))


@dataclass(frozen=True)
class Quoted:
    """A span between quotation marks: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    level: str


def quoted_spans(text: str) -> list[Quoted]:
    """Return the top-level spans of `text` enclosed in matching quotation marks, in order.

    An opening mark must be followed by a non-space character and a closing mark preceded by
    one; a quote never crosses a line break and never runs longer than MAX_QUOTE_CHARS. Single
    marks (‚…‘) count only outside double marks and within one sentence-length stretch.
    """
    pairs = quote_pairs()
    out: list[Quoted] = []
    i, n = 0, len(text)
    openings = _openings()
    while i < n:
        mark = openings.search(text, i)  # (no pair can open between here and the next mark)
        if mark is None:
            break
        i = mark.start()
        found = None
        for opening, closing, level in pairs:
            if not text.startswith(opening, i):
                continue
            after = i + len(opening)
            if after >= n or text[after].isspace():
                continue
            if opening == closing and i > 0 and not (text[i - 1].isspace() or text[i - 1] in "([—–-/"):
                continue  # a straight mark glued to a word is a closing mark or an apostrophe
            if level == "single" and i > 0 and text[i - 1].isalnum():
                continue
            limit = min(n, after + (MAX_QUOTE_CHARS if level == "double" else 300))
            j = after
            while j < limit:
                if text[j] == "\n":
                    break
                if text.startswith(closing, j) and not text[j - 1].isspace():
                    tail = j + len(closing)
                    if level == "single" and tail < n and text[tail].isalnum():
                        j += 1
                        continue
                    if opening == closing and tail < n and text[tail].isalnum():
                        j += 1
                        continue
                    found = Quoted(i, tail, after, j, level)
                    break
                if opening != closing and text.startswith(opening, j) and level == "double" and opening in "„»«":
                    break  # a second opening before any closing: the first one is unclosed
                j += 1
            if found:
                break
        if found:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out
