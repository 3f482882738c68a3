"""Batch extraction (`Pipeline.extract_many`, nlp.pipe) and the memory zone around every extraction:
the same results as one `extract` per article, and a vocab that does not grow with new words."""
from __future__ import annotations

import gc
from pathlib import Path

import pytest
from spacy.tokens import Doc

from workers.pipeline import actors, extractor, load

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "de_lagebild"
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def shipped():
    if not MODEL.exists():
        pytest.skip("models/de_lagebild is not there (trained model missing)")
    return load()


def _novel_text(n: int) -> str:
    """An article of words no vocab has seen (new strings for every n)."""
    words = " ".join(f"Zqx{n}wort{k}" for k in range(40))
    return f"Der Minister Qlorb{n} sagte am Montag in Berlin, {words} sei bereit."


def test_extract_many_equals_extract_per_article(shipped, monkeypatch):
    items = [(path.read_text(encoding="utf-8"), "2024-10-16") for path in SEEDS]
    items.append(((items[0][0] + "\n\n") * 3, None))  # parsed in chunks, beside the others
    monkeypatch.setattr(extractor, "CHUNK_CHARS", 4000)
    assert extractor._needs_chunks(items[-1][0]) and not extractor._needs_chunks(items[1][0])
    one_by_one = [shipped.extract(text, date) for text, date in items]
    assert list(shipped.extract_many(items, batch_size=2)) == one_by_one
    assert one_by_one[0]["quotes"] and one_by_one[0]["actors"]


def test_a_batch_parsed_in_groups_equals_extract_per_article(shipped, monkeypatch):
    """A batch larger than ARTICLE_GROUP_CHARS goes through `nlp.pipe` in several groups: same results."""
    items = [(path.read_text(encoding="utf-8"), "2024-10-16") for path in SEEDS]
    monkeypatch.setattr(extractor, "ARTICLE_GROUP_CHARS", 6000)
    groups = list(extractor._batches([text for text, _ in items], 6000, extractor.CHUNK_LINES))
    assert 1 < len(groups) < len(items)
    assert list(shipped.extract_many(items, batch_size=len(items))) == [shipped.extract(t, d) for t, d in items]


def test_no_doc_outlives_its_extraction_without_the_garbage_collector(shipped):
    """The steps' caches in `Doc.user_data` held spans of their `Doc` (a cycle that only a full
    collection freed: a batch worker grew by about 130 MB over 400 articles)."""
    items = [(path.read_text(encoding="utf-8"), None) for path in SEEDS[:3]]
    gc.collect()
    gc.disable()
    try:
        list(shipped.extract_many(items, batch_size=3))
        shipped.extract(items[0][0])
        assert not [o for o in gc.get_objects() if isinstance(o, Doc)]
    finally:
        gc.enable()


def test_extract_many_of_nothing_is_nothing(shipped):
    assert list(shipped.extract_many([])) == []


def test_new_words_leave_no_strings_behind(shipped):
    """spaCy's StringStore kept every new string for good (a worker grew by hundreds of MB over a
    thousand articles); in the memory zone an extraction's strings go when it ends."""
    strings = shipped.nlp.vocab.strings
    shipped.extract(_novel_text(0))  # the first extraction may add labels for good
    before = len(strings)
    first = shipped.extract(_novel_text(1))
    for n in range(2, 6):
        shipped.extract(_novel_text(n))
    list(shipped.extract_many([(_novel_text(n), None) for n in range(6, 10)], batch_size=2))
    assert len(strings) - before <= 2  # 9 articles of 40 new words each: hundreds without the zone
    assert "Zqx3wort7" not in strings
    assert shipped.extract(_novel_text(1)) == first


def test_an_extraction_that_fails_leaves_the_pipeline_usable(shipped, monkeypatch):
    text = SEEDS[0].read_text(encoding="utf-8")
    expected = shipped.extract(text)

    def broken(view):
        raise RuntimeError("a step failed")

    monkeypatch.setattr(actors, "extract_actors", broken)
    with pytest.raises(RuntimeError, match="a step failed"):
        shipped.extract(_novel_text(11))
    monkeypatch.undo()
    assert shipped.extract(text) == expected
    assert shipped.extract(_novel_text(12))["schema_version"] == extractor.SCHEMA_VERSION
