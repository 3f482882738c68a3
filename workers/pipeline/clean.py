"""Site boilerplate in scraped articles, masked so that offsets stay those of the original.

Scraped news carries text that is not the article ("Kurze Werbeeinblendung", a leading
" date 2023-11", a footer from "Schreibe einen Kommentar" on). It is replaced by spaces of
the same length, never removed: every offset the pipeline reports indexes the text exactly
as submitted. The patterns live in lexicons/boilerplate.tsv.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table

LEXICON = Path(__file__).with_name("lexicons") / "boilerplate.tsv"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    by_kind: dict[str, list[str]] = {"line": [], "prefix": [], "tail": []}
    for row in read_table(LEXICON):
        by_kind[row["kind"]].append(row["pattern"])
    flags = re.MULTILINE | re.IGNORECASE
    whole = r"^[ \t]*(?:{})[ \t]*$"
    return {
        "line": re.compile(whole.format("|".join(by_kind["line"])), flags),
        "tail": re.compile(whole.format("|".join(by_kind["tail"])), flags),
        "prefix": re.compile(r"^(?:{})".format("|".join(by_kind["prefix"])), flags),
    }


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of `text` that are site boilerplate, in order."""
    patterns = _patterns()
    spans = [m.span() for m in patterns["line"].finditer(text)]
    spans += [m.span() for m in patterns["prefix"].finditer(text)]
    footer = patterns["tail"].search(text)
    if footer:
        spans = [s for s in spans if s[1] <= footer.start()] + [(footer.start(), len(text))]
    return sorted(spans)


def mask_boilerplate(text: str) -> str:
    """Return `text` with boilerplate blanked out by spaces (same length, same offsets)."""
    chars = list(text)
    for start, end in boilerplate_spans(text):
        chars[start:end] = [c if c == "\n" else " " for c in text[start:end]]
    return "".join(chars)
