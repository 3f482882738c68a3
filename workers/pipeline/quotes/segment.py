"""Sentences and quotation-mark spans, read from the text so that they do not depend on the model.

`sentences(doc)` returns token ranges of sentences with quotation marks kept on the side they
belong to; `quoted_spans(text)` returns the spans delimited by matching quotation marks.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from workers.pipeline.quotes import lexicon

FINAL = {".", "!", "?", "…", "...", "?!", "!?"}
MAX_QUOTE_CHARS = 2500


@dataclass(frozen=True)
class Quoted:
    """A span between quotation marks: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    level: str


def _closing_marks() -> set[str]:
    return {c for _, c, _ in lexicon.quote_pairs()}


def _opening_marks() -> set[str]:
    return {o for o, _, _ in lexicon.quote_pairs()}


def sentences(doc: Doc) -> list[tuple[int, int]]:
    """Return sentences as (start_token, end_token) ranges covering `doc` in order.

    A sentence ends after final punctuation (and any closing quotation marks that follow it)
    when the next token opens a new sentence (capital, digit or opening mark), or at a line break.
    Whitespace-only tokens are left out of every range.
    """
    closing, opening = _closing_marks(), _opening_marks()
    bounds: list[tuple[int, int]] = []
    start = None
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if tok.is_space:
            if start is not None and "\n" in tok.text:
                bounds.append((start, i))
                start = None
            i += 1
            continue
        if start is None:
            start = i
        end_here = False
        if tok.text in FINAL or (tok.text.endswith((".", "!", "?")) and len(tok.text) > 1 and tok.text[:-1].isdigit() is False and tok.is_punct):
            j = i + 1
            while j < n and doc[j].text in closing and not doc[j].whitespace_ == "" or (j < n and doc[j].text in closing and (j + 1 >= n or doc[j + 1].text in {",", ".", ")"} or doc[j + 1].is_space or doc[j].whitespace_)):
                j += 1
                if j - i > 2:
                    break
            nxt = doc[j] if j < n else None
            if nxt is None or nxt.is_space or nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.text in opening:
                if nxt is not None and nxt.text in {",", ";"}:
                    end_here = False
                else:
                    end_here = True
                    i = j - 1
        if end_here:
            bounds.append((start, i + 1))
            start = None
        i += 1
    if start is not None:
        bounds.append((start, n))
    return bounds


def quoted_spans(text: str) -> list[Quoted]:
    """Return the top-level spans of `text` enclosed in matching quotation marks, in order.

    An opening mark must be followed by a non-space character and a closing mark preceded by
    one; a quote never crosses a line break and never runs longer than MAX_QUOTE_CHARS. Single
    marks (‚…‘) count only outside double marks and within one sentence-length stretch.
    """
    pairs = lexicon.quote_pairs()
    out: list[Quoted] = []
    i, n = 0, len(text)
    while i < n:
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
