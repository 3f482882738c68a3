"""Composes the extraction steps into one schema-v1 document.

The steps are pure functions over a spaCy `Doc` (actors, quotes, events); this module only
runs the spaCy pipeline once and wires the steps' records together.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from workers.pipeline import actors, clean, document, events, quotes
from workers.pipeline.components import factories  # noqa: F401  (the lagebild_* components the model needs)

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
PIPELINE_NAME = "lagebild-de"
PIPELINE_VERSION = "0.1.0"
DEFAULT_MODEL = str(Path(__file__).resolve().parents[2] / "models" / "de_lagebild")
BLANK_MODEL = "blank:de"
CHUNK_CHARS = 50_000
CHUNK_LINES = 500  # many short lines are many sentences: memory grows with them, not only with characters
# spaCy's tokenizer takes time in the square of a run without whitespace made of prefix and suffix
# characters ("„„„…", "!!!…": each suffix search scans the whole rest of the run); 10,000 „ took
# 18 s, 200,000 more than 300 s. Runs longer than this are cut into pieces of this length.
CHUNK_RUN = 100
# characters of a long text's chunks that spaCy parses together (each character may be a token:
# 50,000 „ in one batch took 1.2 GB)
BATCH_CHARS = 20_000
# characters of a batch's articles that spaCy parses together (`extract_many`): groups of 20,000
# took about 3 % more CPU time than 40,000, which peak at 366 MB in a worker's batches of 16
ARTICLE_GROUP_CHARS = 40_000
_LONG_RUN = re.compile(r"\S{%d}" % (CHUNK_RUN + 1))
# articles that `extract_many` parses together in one `nlp.pipe` batch, within one memory zone
BATCH_ARTICLES = 32


class ModelLoadError(RuntimeError):
    """A spaCy model that was asked for cannot be loaded; the message names its path and the cause."""


def load_nlp(model: str | None = None) -> tuple[Language, str]:
    """Load a spaCy pipeline by package name or path; return it with a printable model name.

    `None` means the shipped model in models/de_lagebild, falling back to a blank German
    pipeline with our sentence rules (`lagebild_sentence_rules`, the one sentence splitter every
    pipeline uses) when it is not there (a fresh checkout before training). A model that is
    named explicitly and cannot be loaded is an error.
    """
    if model == BLANK_MODEL or (model is None and not Path(DEFAULT_MODEL).exists()):
        if model is None:
            log.warning("no model at %s; using a blank German pipeline", DEFAULT_MODEL)
        nlp = spacy.blank("de")
        nlp.add_pipe("lagebild_sentence_rules")
        return nlp, BLANK_MODEL
    path = model or DEFAULT_MODEL
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError, KeyError) as exc:  # spaCy's errors for a missing or broken pipeline
        raise ModelLoadError(f"cannot load the spaCy model {path!r}: {exc}") from exc
    meta = nlp.meta
    return nlp, f"{meta.get('lang', '?')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


@dataclass
class Pipeline:
    """A loaded spaCy pipeline plus the extraction steps that run over its `Doc`s."""

    nlp: Language
    model: str
    name: str = PIPELINE_NAME
    version: str = PIPELINE_VERSION
    info: dict = field(init=False)
    observe_stage: Callable[[str, float], None] | None = None

    def __post_init__(self) -> None:
        self.info = {"name": self.name, "version": self.version, "model": self.model}

    def extract(self, text: str, published_at: dt.date | str | None = None) -> dict:
        """Return the schema-v1 extraction for `text` (offsets index `text` as given)."""
        anchor = _as_date(published_at)
        with _memory_zone(self.nlp):
            with self._stage("parse"):
                doc = self.parse(clean.mask_boilerplate(text))
            return self._steps(doc, anchor)

    def extract_many(self, items: Iterable[tuple[str, dt.date | str | None]],
                     batch_size: int = BATCH_ARTICLES) -> Iterator[dict]:
        """Yield `extract(text, published_at)` for each (text, published_at) of `items`, in order,
        parsing `batch_size` articles at a time with `nlp.pipe` (faster than one `nlp(text)` each;
        long texts are still parsed in chunks, as `parse` does)."""
        batch: list[tuple[str, dt.date | str | None]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._extract_batch(batch)
                batch = []
        if batch:
            yield from self._extract_batch(batch)

    def _extract_batch(self, batch: list[tuple[str, dt.date | str | None]]) -> list[dict]:
        anchors = [_as_date(published_at) for _, published_at in batch]
        with _memory_zone(self.nlp):  # the results are plain data: nothing of the zone outlives it
            with self._stage("parse"):
                docs = self.parse_many([clean.mask_boilerplate(text) for text, _ in batch])
            return [self._steps(doc, anchor) for doc, anchor in zip(docs, anchors)]

    def _steps(self, doc: Doc, anchor: dt.date | None) -> dict:
        """Run the rule steps over a parsed article; the result holds no spaCy object."""
        with self._stage("actors"):  # (the view's facts are the rules' too: "parse" is spaCy's time)
            view = document.DocumentView.of(doc)
            found_actors = actors.extract_actors(view)
            index = actors.ActorIndex(found_actors)
        with self._stage("events"):
            found_events = events.extract_events(view, index, anchor)
        with self._stage("quotes"):
            found_quotes = quotes.extract_quotes(view, index)
        document.forget(doc)  # so that the Doc goes as soon as its caller lets go of it
        return {
            "schema_version": SCHEMA_VERSION,
            "pipeline": dict(self.info),
            "language": "de",
            "published_at": anchor.isoformat() if anchor else None,
            "actors": found_actors,
            "events": found_events,
            "quotes": found_quotes,
        }

    @contextlib.contextmanager
    def _stage(self, name: str):
        """Time one stage for `observe_stage(name, seconds)` when one is set (the workers' metrics)."""
        started = time.perf_counter()
        yield
        if self.observe_stage is not None:
            self.observe_stage(name, time.perf_counter() - started)

    def parse_many(self, texts: list[str]) -> list[Doc]:
        """Return `parse(text)` for each of `texts`: those short enough to need no chunks go
        through `nlp.pipe` together, ARTICLE_GROUP_CHARS characters at a time (`_pipe`)."""
        chunked = [_needs_chunks(text) for text in texts]
        piped = iter(self._pipe([text for text, cut in zip(texts, chunked) if not cut], ARTICLE_GROUP_CHARS))
        return [self._parse_in_chunks(text) if cut else next(piped) for text, cut in zip(texts, chunked)]

    def _pipe(self, texts: list[str], chars: int = BATCH_CHARS) -> list[Doc]:
        """Return the `Doc`s of `texts`, parsed with `nlp.pipe` in consecutive groups of at most
        `chars` characters and CHUNK_LINES line breaks (`_batches`).

        The layers hold arrays for every token of the group they see at once: 40,000 characters
        of articles in one group took 98 MB more in tok2vec alone, in groups of 20,000 48 MB (and
        about 3 % more CPU time; groups of 10,000 took 28 MB and 9 % more)."""
        docs: list[Doc] = []
        for batch in _batches(texts, chars, CHUNK_LINES):
            docs.extend(self.nlp.pipe(batch, batch_size=len(batch)))
        return docs

    def parse(self, text: str) -> Doc:
        """Run spaCy over `text`; long texts in paragraph chunks joined into one `Doc`.

        The parser and recognizer need memory in proportion to the text they see at once
        (about 1 GB per 100,000 characters); chunks that end at a line break keep every
        offset of the joined `Doc` equal to the offset in `text`.
        """
        return self._parse_in_chunks(text) if _needs_chunks(text) else self.nlp(text)

    def _parse_in_chunks(self, text: str) -> Doc:
        chunks = list(_chunks(text, CHUNK_CHARS, CHUNK_LINES, CHUNK_RUN))
        # in groups of chunks (spaCy's default batch of 1,000 texts put them all in the parser at
        # once: 389 KB of short lines took 5 GB; one chunk at a time made 10,000 chunks of a long
        # run 10,000 passes through every layer); a chunk cut inside a word (no break or space to
        # cut at) must not get a space added
        doc = Doc.from_docs(self._pipe(chunks), ensure_whitespace=False)
        if doc.text != text:  # pragma: no cover - _chunks guarantees this
            raise AssertionError("chunked parse changed the text")
        return doc


def _needs_chunks(text: str) -> bool:
    """Return True when `parse` cuts `text` into chunks (see CHUNK_CHARS, CHUNK_LINES, CHUNK_RUN)."""
    return len(text) > CHUNK_CHARS or text.count("\n") > CHUNK_LINES or _LONG_RUN.search(text) is not None


@contextlib.contextmanager
def _memory_zone(nlp: Language):
    """`nlp.memory_zone()`: the strings and lexemes that parsing adds to the vocab are freed at the
    end (they accumulated for good otherwise: a worker grew by hundreds of MB over a thousand
    articles). An exception is raised only after the zone has closed: spaCy left the vocab
    broken for the next text when one escaped from inside (explosion/spaCy#13924)."""
    error = None
    with nlp.memory_zone():
        try:
            yield
        except BaseException as exc:  # noqa: BLE001 - re-raised unchanged below
            error = exc
    if error is not None:
        raise error


def _chunks(text: str, size: int, lines: int = CHUNK_LINES, run: int = CHUNK_RUN):
    """Yield consecutive pieces of `text` of at most about `size` characters and `lines` line
    breaks, each ending at a line break (failing that, after a sentence's final stop, then a
    space) so that joining them gives `text` back, and none with more than `run` characters
    without whitespace (a longer run is cut into pieces of `run`). Each chunk's first token
    starts a sentence, so a cut elsewhere than at a sentence end would split a sentence in two."""
    long_run = _LONG_RUN if run == CHUNK_RUN else re.compile(r"\S{%d}" % (run + 1))
    for start, end in _spans(text, size, lines):
        while start < end:
            found = long_run.search(text, start, end)
            if found is None:
                yield text[start:end]
                break
            cut = found.start() if found.start() > start else start + run
            yield text[start:cut]
            start = cut


def _batches(chunks: list[str], size: int, lines: int):
    """Consecutive groups of `chunks` with at most `size` characters and `lines` line breaks in
    all (a chunk larger than that is a group of its own)."""
    batch, chars, breaks = [], 0, 0
    for chunk in chunks:
        count = chunk.count("\n")
        if batch and (chars + len(chunk) > size or breaks + count > lines):
            yield batch
            batch, chars, breaks = [], 0, 0
        batch.append(chunk)
        chars, breaks = chars + len(chunk), breaks + count
    if batch:
        yield batch


def _spans(text: str, size: int, lines: int):
    """(start, end) of the pieces of `_chunks` before long runs are cut."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        breaks = _nth_break(text, start, end, lines)
        if breaks is not None:  # more lines than `lines`: end after the last one allowed
            yield start, breaks + 1
            start = breaks + 1
            continue
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = max(text.rfind(stop, start + size // 2, end) for stop in (". ", "! ", "? ")) + 1
            if cut <= 0:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut > start else end
        yield start, end
        start = end


def _nth_break(text: str, start: int, end: int, n: int) -> int | None:
    """Index of the n-th line break in text[start:end] when there are more than n, else None."""
    at = start - 1
    for _ in range(n):
        at = text.find("\n", at + 1, end)
        if at < 0:
            return None
    return at if text.find("\n", at + 1, end) >= 0 else None


def load(model: str | None = None) -> Pipeline:
    """Load the spaCy model once and return a ready `Pipeline`."""
    nlp, name = load_nlp(model)
    return Pipeline(nlp=nlp, model=name)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
