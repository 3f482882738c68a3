"""Clause segments: the spans of a sentence that event arguments are looked for in.

A clause segment is a stretch of a sentence between commas, semicolons, colons, dashes,
brackets and quotation marks. It stands in for the clause when the parse is missing or
unreliable; arguments found in a trigger's segment are its arguments. The sentences
themselves come from the document view (workers/pipeline/document.py).
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from workers.pipeline.document import token_table
from workers.pipeline.events import lexicon

BOUNDARY = {",", ";", ":", "–", "—", "(", ")", "„", "“", "”", '"', "»", "«", "[", "]"}


def segments(sentence: Span) -> list[Span]:
    """Return the clause segments of a sentence: the stretches between boundary punctuation."""
    doc = sentence.doc
    table = token_table(doc)  # (plain strings: a Token per token was most of the time here)
    words, whitespace = table.words, table.whitespace
    out, start = [], sentence.start
    inside_aside = _short_asides(sentence) | _scare_quotes(sentence)
    for i in range(sentence.start, sentence.end):
        if i in inside_aside or words[i] == "," and _in_enumeration(doc[i]):
            continue
        if words[i] in BOUNDARY or words[i] == "-" and whitespace[i] and i > 0 and whitespace[i - 1]:
            if i > start:
                out.append(doc[start:i])
            start = i + 1
    if sentence.end > start:
        out.append(doc[start:sentence.end])
    return out


def _short_asides(sentence: Span, longest: int = 6) -> set[int]:
    """Return the token indices of short bracketed asides and their brackets ("der Terrormiliz
    Islamischer Staat (IS) festgenommen"): they do not cut the clause around them."""
    found: set[int] = set()
    opened = None
    words = token_table(sentence.doc).words
    for i in range(sentence.start, sentence.end):
        if words[i] == "(":
            opened = i
        elif words[i] == ")" and opened is not None:
            if i - opened - 1 <= longest and not any(words[k] in ",;:" for k in range(opened, i)):
                found.update(range(opened, i + 1))
            opened = None
    return found


OPENING_QUOTES = {"„": "“", "»": "«", "«": "»", '"': '"', "“": "”"}
VERB_POS = {"VERB", "AUX"}


def _scare_quotes(sentence: Span, longest: int = 5) -> set[int]:
    """Return the token indices of short quoted phrases without a verb and their quotation marks
    ("die Umstellung der „maroden Sozialsysteme“ … gefordert", "als „Terrororganisation“
    eingestuft"): a quoted name or word is part of its clause, not a clause of its own."""
    doc = sentence.doc
    words = token_table(doc).words
    found: set[int] = set()
    i = sentence.start
    while i < sentence.end:
        closing = OPENING_QUOTES.get(words[i])
        if closing is None:
            i += 1
            continue
        end = next((j for j in range(i + 1, min(sentence.end, i + longest + 2)) if words[j] == closing), None)
        inner = doc[i + 1:end] if end is not None else None
        if inner is not None and len(inner) and not any(t.is_punct or t.pos_ in VERB_POS for t in inner):
            found.update(range(i, end + 1))
            i = end + 1
        else:
            i += 1
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


def is_relative_clause(segment: Span) -> str | None:
    """Return "subject" or "object" if the segment is a relative clause whose pronoun is the
    subject ("der … empfing") or an object ("den … traf"), else None."""
    if segment.start == 0 or segment.doc[segment.start - 1].text != ",":
        return None
    first = segment[0].lower_
    if first in lexicon.word_class("relative_subject"):
        return "subject"
    if first in lexicon.word_class("relative_object"):
        return "object"
    return None


def token_segment(segs: list[Span], token: Token) -> Span | None:
    """Return the segment that contains `token`."""
    for seg in segs:
        if seg.start <= token.i < seg.end:
            return seg
    return None
