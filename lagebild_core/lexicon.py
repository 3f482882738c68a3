"""The one loader of lexicon data files.

Every word list is a UTF-8, tab-separated file with a header row that names its columns; lines
that start with `#` are comments and blank lines are skipped. A row with fewer cells than the
header gets "" for the missing ones. Each file is read once per process.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


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
