"""The one loader of lexicon data files.

Every word list is a UTF-8, tab-separated file with a header row that names its columns; lines
that start with `#` are comments and blank lines are skipped. A row with fewer cells than the
header gets "" for the missing ones. Each file is read once per process.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable


@lru_cache(maxsize=None)
def read_table(path: Path | str) -> tuple[dict[str, str], ...]:
    """Return the rows of a lexicon table as dicts keyed by the header's column names.

    Raises ValueError when the file has no header row or a row has more cells than the header.
    """
    path = Path(path)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    if not lines:
        raise ValueError(f"{path}: no header row")
    header = [name.strip() for name in lines[0].split("\t")]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) > len(header):
            raise ValueError(f"{path}: row {number} has {len(cells)} cells, the header {len(header)}")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return tuple(rows)


@lru_cache(maxsize=None)
def read_words(path: Path | str, column: str | None = None, lower: bool = True) -> frozenset[str]:
    """Return the set of entries of one column (default: the first) of a lexicon table,
    whitespace-normalised and, unless `lower` is False, lower-cased."""
    rows = read_table(path)
    out = set()
    for row in rows:
        value = " ".join((row[column] if column else next(iter(row.values()))).split())
        if value:
            out.add(value.lower() if lower else value)
    return frozenset(out)


class Suffixes:
    """The entries of a word list that a word may end in ("verteidigungsminister" ends in
    "minister"), found by looking the word's endings up, one per entry length, instead of trying
    every entry: with a few hundred entries, trying each one with `str.endswith` was the rules'
    largest single cost (1.7 million calls for 80 articles)."""

    def __init__(self, entries: Iterable[str]):
        self._entries = frozenset(entries)
        self._lengths = tuple(sorted({len(entry) for entry in self._entries}, reverse=True))

    def longest(self, word: str, *, min_rest: int = 0,
                compound: Callable[[str], bool] | None = None) -> str | None:
        """Return the longest entry that `word` is, or ends in after at least `min_rest` other
        characters (and, if `compound` is given, that `compound(entry)` allows to end a longer
        word); None when there is none. The same entry as trying the entries longest first: two
        entries of one length cannot both end the same word."""
        size = len(word)
        for length in self._lengths:
            rest = size - length
            if rest < 0 or 0 < rest < min_rest:
                continue
            ending = word[rest:]
            if ending in self._entries and (rest == 0 or compound is None or compound(ending)):
                return ending
        return None
