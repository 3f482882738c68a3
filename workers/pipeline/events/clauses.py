"""Sentences, clause segments and direct quotes: the spans event arguments are looked for in.

A clause segment is a stretch of a sentence between commas, semicolons, colons, dashes,
brackets and quotation marks. It stands in for the clause when the parse is missing or
unreliable; arguments found in a trigger's segment are its arguments. Headlines and
paragraphs end a sentence at a line break even when the sentencizer does not.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

BOUNDARY = {",", ";", ":", "–", "—", "(", ")", "„", "“", "”", '"', "»", "«", "[", "]"}
QUOTE = re.compile(r'„[^„“”"\n]{1,600}[“”"]|“[^“”„\n]{1,600}”|»[^»«\n]{1,600}«|"[^"\n]{1,600}"')
RELATIVE = {"der", "die", "das", "welcher", "welche", "welches"}
RELATIVE_OBJECT = {"den", "dem", "denen", "deren", "dessen", "welchen", "welchem"}


def sentences(doc: Doc) -> list[Span]:
    """Return the sentences of `doc`, also split at line breaks; whitespace-only spans dropped.

    Computed once per `Doc` (kept in `doc.user_data`): argument finding asks for every trigger.
    """
    cached = doc.user_data.get(_SENTENCES)
    if cached is None:
        cached = doc.user_data[_SENTENCES] = _sentences(doc)
    return cached


_SENTENCES = "lagebild.events.sentences"


def _sentences(doc: Doc) -> list[Span]:
    bounds = [s for s in doc.sents] if doc.has_annotation("SENT_START") else [doc[:]]
    out = []
    for sent in bounds:
        start = sent.start
        for tok in sent:
            if "\n" in tok.text or "\n" in tok.whitespace_:
                end = tok.i if "\n" in tok.text else tok.i + 1
                if end > start:
                    out.append(doc[start:end])
                start = tok.i + 1
        if sent.end > start:
            out.append(doc[start:sent.end])
    return [s for s in out if s.text.strip()]


def segments(sentence: Span) -> list[Span]:
    """Return the clause segments of a sentence: the stretches between boundary punctuation."""
    doc = sentence.doc
    out, start = [], sentence.start
    inside_aside = _short_asides(sentence)
    for tok in sentence:
        if tok.i in inside_aside or tok.text == "," and _in_enumeration(tok):
            continue
        if tok.text in BOUNDARY or tok.text == "-" and tok.whitespace_ and tok.i > 0 and doc[tok.i - 1].whitespace_:
            if tok.i > start:
                out.append(doc[start:tok.i])
            start = tok.i + 1
    if sentence.end > start:
        out.append(doc[start:sentence.end])
    return out


def _short_asides(sentence: Span, longest: int = 6) -> set[int]:
    """Return the token indices of short bracketed asides and their brackets ("der Terrormiliz
    Islamischer Staat (IS) festgenommen"): they do not cut the clause around them."""
    found: set[int] = set()
    opened = None
    for tok in sentence:
        if tok.text == "(":
            opened = tok.i
        elif tok.text == ")" and opened is not None:
            if tok.i - opened - 1 <= longest and not any(t.text in ",;:" for t in sentence.doc[opened:tok.i]):
                found.update(range(opened, tok.i + 1))
            opened = None
    return found


def _in_enumeration(comma: Token) -> bool:
    """Return True for a comma inside a list of attributes ("ihre wirtschaftlichen, politischen und
    militärischen Beziehungen", "Boden-, See- und Luftstreitkräfte"): no clause boundary."""
    doc = comma.doc
    if comma.i == 0 or comma.i + 1 >= len(doc):
        return False
    before, after = doc[comma.i - 1], doc[comma.i + 1]
    if before.text.endswith("-") and len(before.text) > 1:
        return True
    return doc.has_annotation("POS") and before.pos_ == after.pos_ == "ADJ" and after.text[:1].islower()


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Return the character spans of direct quotes (quotation marks included) in `text`.

    Short quoted terms (up to three words: „Herausforderung“, "multilaterale Koordinierung")
    are no quotes of speech and are left out.
    """
    regions = []
    for match in QUOTE.finditer(text):
        if len(match.group(0).split()) > 3:
            regions.append((match.start(), match.end()))
    return regions


def inside(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    """Return True if [start, end) lies within one of the regions."""
    return any(s <= start and end <= e for s, e in regions)


def is_relative_clause(segment: Span) -> str | None:
    """Return "subject" or "object" if the segment is a relative clause whose pronoun is the
    subject ("der … empfing") or an object ("den … traf"), else None."""
    if segment.start == 0 or segment.doc[segment.start - 1].text != ",":
        return None
    first = segment[0].lower_
    if first in RELATIVE:
        return "subject"
    if first in RELATIVE_OBJECT:
        return "object"
    return None


def token_segment(segs: list[Span], token: Token) -> Span | None:
    """Return the segment that contains `token`."""
    for seg in segs:
        if seg.start <= token.i < seg.end:
            return seg
    return None
