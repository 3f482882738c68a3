"""Word classes: lexicon tables that list words by class ("class<TAB>word"), read as sets.

The quote, event and actor steps each keep their closed word classes (articles, prepositions,
auxiliaries, ...) in one such table; `word_classes(path)` groups its rows by class.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table


@lru_cache(maxsize=None)
def word_classes(path: Path | str, kind: str = "class", word: str = "word",
                 lower: bool = True) -> dict[str, frozenset[str]]:
    """Return {class: words} from the table at `path`: its `kind` column names the class, its
    `word` column the word, lower-cased unless `lower` is False. Read once per path."""
    out: dict[str, set[str]] = {}
    for row in read_table(path):
        out.setdefault(row[kind], set()).add(row[word].lower() if lower else row[word])
    return {k: frozenset(v) for k, v in out.items()}
