"""The extractor: long texts are parsed in chunks that keep every offset of the original."""
from __future__ import annotations

from pathlib import Path

import pytest

from workers.pipeline import extractor, load

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "001_c1f2e177fa7f3201.txt").read_text(encoding="utf-8")


def test_chunks_partition_the_text_at_line_breaks():
    text = (SEED + "\n\n") * 7
    chunks = list(extractor._chunks(text, 3000))
    assert "".join(chunks) == text
    assert len(chunks) > 3
    assert all(len(c) <= 3000 for c in chunks)
    assert all(c.endswith(("\n", " ")) for c in chunks[:-1])


def test_without_a_line_break_a_chunk_ends_at_a_sentence_end_not_mid_sentence():
    sentence = "Ein erster Satz endet hier, nach einigen Wörtern. "
    text = sentence + "Der nächste Satz ist lang und hat viele Wörter " * 3
    first = next(extractor._chunks(text, 60))
    assert first == sentence


def test_a_text_without_breaks_is_still_cut():
    text = "x" * 2500
    assert list(extractor._chunks(text, 1000, run=5000)) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_runs_without_whitespace_are_cut_to_bound_the_tokenizer():
    """spaCy's tokenizer is quadratic in a run of affix characters (10,000 „ took 18 s)."""
    text = "Ein Satz. " + "„" * 250 + " und " + "x" * 100 + " Ende."
    chunks = list(extractor._chunks(text, 50_000, run=100))
    assert "".join(chunks) == text
    assert chunks == ["Ein Satz. ", "„" * 100, "„" * 100, "„" * 50 + " und " + "x" * 100 + " Ende."]
    assert all(len(word) <= 100 for chunk in chunks for word in chunk.split())


def test_chunks_are_parsed_in_batches_bounded_by_characters_and_lines():
    chunks = ["a" * 40, "b" * 40, "c" * 40, "\n" * 3, "\n" * 3, "d" * 200]
    batches = list(extractor._batches(chunks, 100, 5))
    assert batches == [["a" * 40, "b" * 40], ["c" * 40, "\n" * 3], ["\n" * 3], ["d" * 200]]


def test_a_long_run_of_quote_marks_parses_quickly(blank):
    import time
    text = "„" * 20_000  # 61 s before runs were cut
    started = time.monotonic()
    doc = blank.parse(text)
    assert doc.text == text and time.monotonic() - started < 20


@pytest.fixture(scope="module")
def blank():
    return load("blank:de")


def test_chunked_extraction_equals_the_whole(blank, monkeypatch):
    text = (SEED + "\n\n") * 3
    whole = blank.extract(text, "2024-10-16")
    monkeypatch.setattr(extractor, "CHUNK_CHARS", 1500)
    doc = blank.parse(text)
    assert doc.text == text
    chunked = blank.extract(text, "2024-10-16")
    assert chunked == whole
    for quote in chunked["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
