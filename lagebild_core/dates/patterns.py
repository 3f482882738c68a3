"""The word lists and patterns of lexicons/dates/, read once: patterns.tsv (one regex a row,
with fragments from defines.tsv and word lists inserted) and the word lists they name."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "dates"


@lru_cache(maxsize=None)
def lookup(name: str) -> dict[str, dict[str, str]]:
    """Return the rows of the word list lexicons/dates/<name>.tsv keyed by their lower-cased form."""
    return {row["form"].lower(): row for row in read_table(LEXICON_DIR / f"{name}.tsv")}


def _alternation(spec: str) -> str:
    """Return a regex alternation of the forms in a word list; spec is "name[:col=value]".

    Longest forms first (so "Jänner" is not cut short); lower-case forms also capitalised.
    """
    name, _, condition = spec.partition(":")
    column, _, wanted = condition.partition("=")
    forms: set[str] = set()
    for row in read_table(LEXICON_DIR / f"{name}.tsv"):
        if not condition or row.get(column) == wanted:
            forms.add(row["form"])
            forms.add(row["form"][:1].upper() + row["form"][1:])
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))) + ")"


def _expand(template: str, defines: dict[str, str]) -> str:
    """Replace {NAME} by a fragment of defines.tsv and {list} / {list:col=value} by a word-list
    alternation."""
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in defines:
            return _expand(defines[key], defines)
        return _alternation(key)
    return re.sub(r"\{([A-Za-z_]+(?::\w+=\w+)?)\}", replace, template)


@dataclass(frozen=True)
class Pattern:
    """One compiled row of patterns.tsv: `fixed` holds the field values its words imply."""

    name: str
    relative_to: str
    fixed: dict
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    """Return the compiled patterns of lexicons/dates/patterns.tsv, in file order.

    No match may start inside a word or end inside a hyphenated compound ("Mai-Interview").
    """
    defines = {row["name"]: row["regex"] for row in read_table(LEXICON_DIR / "defines.tsv")}
    found = []
    for row in read_table(LEXICON_DIR / "patterns.tsv"):
        fixed = row["fixed"]
        fixed_values = dict(item.split("=") for item in fixed.split(",")) if fixed != "-" else {}
        regex = re.compile(r"(?<!\w)" + _expand(row["regex"], defines) + r"(?!-\w)")
        found.append(Pattern(row["name"], row["relative_to"], fixed_values, regex))
    return tuple(found)
