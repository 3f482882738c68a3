"""One view of a parsed article: the text facts that actors, quotes and events all read.

`DocumentView.of(doc)` computes them once per `Doc`:
- `sentences`: the one sentence split — the sentences the pipeline's `lagebild_sentence_rules`
  component set (a line break always ends one), without whitespace at either end;
- `quoted`: the spans between matching quotation marks (`quoted_spans`, the one finder);
- `times`: every time expression of the text (the one scan, `dates.find_time_expressions`);
- `sentence_of(i)`: the number of the sentence that holds token i;
- `datelines`: the character spans of agency datelines ("Moskau – ", "Washington (dpa) – ") that
  open a line or one of the first OPENING sentences;
- `headings`: the numbers of the sentences that are headings, not narration: a line of at most
  HEADING_MAX_WORDS words without final punctuation, and every sentence before a dateline in the
  opening (the title and subtitle that news feeds put in front of "Ort – ").

The steps take the view instead of recomputing these facts from the `Doc`, so that a fix to
sentence boundaries, quotation marks or time expressions reaches all of them at once.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span

from lagebild_core import dates
from workers.pipeline.quoted import Quoted, quoted_spans

SPEECH_QUOTE_MIN_WORDS = 4  # shorter quoted stretches are terms or names („Herausforderung“)
HEADING_MAX_WORDS = 20
OPENING = 3  # a dateline stands in one of the first sentences of an article
FINAL_PUNCTUATION = ".!?:;\"“”»«'…)"
# one to three capitalised words ("Bamako", "Neu-Delhi", "New York"), an optional agency in
# brackets ("(dpa)", "(APA/AFP)"), then a dash: "Ort –" / "Ort (Agentur) –"
DATELINE = re.compile(r"(?:[A-ZÄÖÜ][\w.'’/-]*\s+){0,2}[A-ZÄÖÜ][\w.'’/-]*(?:\s*\([^()\n]{1,30}\))?\s*[–—-]\s")


def split_sentences(doc: Doc) -> tuple[Span, ...]:
    """Return the sentences of `doc` as spans without leading or trailing whitespace tokens.

    The boundaries are the `Doc`'s own (`doc.sents`, set by the sentence-rules component);
    a line break inside one also ends it. Whitespace-only stretches are no sentences.
    """
    bounds = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    table = token_table(doc)
    words, whitespace = table.words, table.whitespace
    out = []
    for sent in bounds:
        start = sent.start
        for i in range(sent.start, sent.end):
            if "\n" in words[i] or "\n" in whitespace[i]:
                end = i if "\n" in words[i] else i + 1
                if end > start:
                    out.append((start, end))
                start = i + 1
        if sent.end > start:
            out.append((start, sent.end))
    return tuple(doc[start:end] for start, end in out if table.span_text(start, end).strip())


_TABLE_KEY, _ENTS_KEY, _ENT_STARTS_KEY = "lagebild.token_table", "lagebild.ents", "lagebild.ent_starts"


@dataclass(frozen=True)
class TokenTable:
    """Plain lists of the token attributes the steps read most, index = token index.

    Reading `doc[i].text` makes a new `Token` object on every access; the steps' loops over
    every token (and every candidate span) spent most of their time there.
    """

    text: str  # the Doc's text (`Doc.text` joins every token anew on each access)
    words: list[str]
    lower: list[str]
    is_space: list[bool]
    idx: list[int]
    whitespace: list[str]

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as `doc[start:end].text` (empty for an empty range)."""
        if end <= start:
            return ""
        return self.text[self.idx[start]:self.idx[end - 1] + len(self.words[end - 1])]


def entities(doc: Doc) -> tuple[Span, ...]:
    """Return `doc.ents`, built once per `Doc` (`Doc.ents` makes every entity `Span` anew on each
    access; read per candidate, that made long articles quadratic)."""
    found = doc.user_data.get(_ENTS_KEY)
    if found is None:
        found = doc.user_data[_ENTS_KEY] = tuple(doc.ents)
    return found


def entity_starts(doc: Doc) -> dict[int, Span]:
    """Return {token index: the entity that starts there} (entities do not overlap)."""
    found = doc.user_data.get(_ENT_STARTS_KEY)
    if found is None:
        found = doc.user_data[_ENT_STARTS_KEY] = {ent.start: ent for ent in entities(doc)}
    return found


def entities_within(doc: Doc, start: int, end: int) -> list[Span]:
    """Return the entities wholly within tokens [start, end), as `doc[start:end].ents` (which reads
    every entity of the `Doc`)."""
    starts = entity_starts(doc)
    return [starts[i] for i in range(start, end) if i in starts and starts[i].end <= end]


def token_table(doc: Doc) -> TokenTable:
    """Return the `TokenTable` of `doc`, built on first use and kept in `doc.user_data` (the
    steps never change a `Doc`'s tokens, and the table goes when the `Doc` goes)."""
    table = doc.user_data.get(_TABLE_KEY)
    if table is None:
        toks = list(doc)
        words, whitespace = [t.text for t in toks], [t.whitespace_ for t in toks]
        table = TokenTable(text="".join(w + s for w, s in zip(words, whitespace)), words=words, lower=[t.lower_ for t in toks],
                           is_space=[t.is_space for t in toks], idx=[t.idx for t in toks],
                           whitespace=whitespace)
        doc.user_data[_TABLE_KEY] = table
    return table


def forget(doc: Doc) -> None:
    """Drop what this module keeps in `doc.user_data`. The entity spans there refer back to the
    `Doc`: that cycle kept every parsed `Doc` (its arrays, tables and spans) alive until the garbage
    collector's next full collection, which a worker with a large frozen heap rarely makes; a batch
    worker grew by about 130 MB over 400 articles."""
    for key in (_TABLE_KEY, _ENTS_KEY, _ENT_STARTS_KEY):
        doc.user_data.pop(key, None)


@dataclass(frozen=True)
class DocumentView:
    """The text facts of one `Doc`, computed once (see the module docstring)."""

    doc: Doc
    text: str
    sentences: tuple[Span, ...]
    quoted: tuple[Quoted, ...]
    times: tuple[dates.TimeExpression, ...]
    _sentence_starts: tuple[int, ...] = field(repr=False)

    @classmethod
    def of(cls, doc: Doc) -> DocumentView:
        """Return the view of `doc`."""
        text = token_table(doc).text
        sentences = split_sentences(doc)
        return cls(doc=doc, text=text, sentences=sentences, quoted=tuple(quoted_spans(text)),
                   times=tuple(dates.find_time_expressions(text)),
                   _sentence_starts=tuple(s.start for s in sentences))

    def sentence_of(self, i: int) -> int | None:
        """Return the number of the sentence that contains token i, or None between sentences."""
        n = bisect_right(self._sentence_starts, i) - 1
        if n >= 0 and i < self.sentences[n].end:
            return n
        return None

    def sentence_at(self, i: int) -> Span | None:
        """Return the sentence that contains token i, or None."""
        n = self.sentence_of(i)
        return None if n is None else self.sentences[n]

    @cached_property
    def datelines(self) -> tuple[tuple[int, int], ...]:
        """Return the character spans of the datelines (see the module docstring)."""
        found = []
        for n, sentence in enumerate(self.sentences):
            start = sentence.start_char
            if not _opens_line(self.text, start) and (n >= OPENING or found):
                continue
            match = DATELINE.match(self.text, start)
            if match and match.end() < sentence.end_char:
                found.append((match.start(), match.end()))
        return tuple(found)

    @cached_property
    def headings(self) -> frozenset[int]:
        """Return the numbers of the heading sentences (see the module docstring)."""
        found = set()
        first_dateline = min((start for start, _ in self.datelines if start < self._opening_end), default=None)
        for n, sentence in enumerate(self.sentences):
            if first_dateline is not None and sentence.end_char <= first_dateline:
                found.add(n)
                continue
            alone = _opens_line(self.text, sentence.start_char) and _ends_line(self.text, sentence.end_char)
            if alone and len(sentence.text.split()) <= HEADING_MAX_WORDS \
                    and not sentence.text.rstrip().endswith(tuple(FINAL_PUNCTUATION)):
                found.add(n)
        return frozenset(found)

    @property
    def _opening_end(self) -> int:
        return self.sentences[min(OPENING, len(self.sentences)) - 1].end_char if self.sentences else 0

    def is_heading(self, i: int) -> bool:
        """Return True if token i stands in a heading sentence."""
        return self.sentence_of(i) in self.headings

    @cached_property
    def token_starts(self) -> list[int]:
        """Return the character offset of every token."""
        return token_table(self.doc).idx

    def token_at(self, char: int) -> int:
        """Return the index of the token that contains character `char` (or the next one)."""
        starts = self.token_starts
        i = bisect_right(starts, char) - 1
        if i >= 0 and char < starts[i] + len(self.doc[i]):
            return i
        return min(i + 1, len(self.doc) - 1)

    @cached_property
    def speech_quotes(self) -> tuple[tuple[int, int], ...]:
        """Return the character spans (marks included) of quoted stretches of at least
        SPEECH_QUOTE_MIN_WORDS words: quoted speech rather than a quoted term."""
        return tuple((q.start, q.end) for q in self.quoted
                     if len(self.text[q.start:q.end].split()) >= SPEECH_QUOTE_MIN_WORDS)

    def in_speech_quote(self, start: int, end: int) -> bool:
        """Return True if characters [start, end) lie within one quoted speech span."""
        # the spans are in text order and do not overlap (`quoted_spans`): only the last one that
        # starts at or before `start` can hold [start, end) (asked per token: a scan was quadratic)
        n = bisect_right(self._speech_quote_starts, start) - 1
        return n >= 0 and end <= self.speech_quotes[n][1]

    @cached_property
    def _speech_quote_starts(self) -> list[int]:
        return [s for s, _e in self.speech_quotes]

    @cached_property
    def time_tokens(self) -> frozenset[int]:
        """Return the indices of the tokens that are part of a time expression."""
        return frozenset(tok.i for expr in self.times
                         for tok in (self.doc.char_span(expr.start, expr.end, alignment_mode="expand") or []))


def _opens_line(text: str, pos: int) -> bool:
    """Return True when only spaces and tabs stand between the start of a line and `pos`."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _ends_line(text: str, pos: int) -> bool:
    """Return True when only spaces and tabs stand between `pos` and the end of its line."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos == len(text) or text[pos] == "\n"
