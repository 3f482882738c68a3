"""What the quote tests share: a blank German pipeline with our sentence rules, and `run`, which
extracts the quotes of a text with persons/organisations marked by hand and checks every offset."""
from __future__ import annotations

from pathlib import Path

import spacy

from workers.pipeline import actors as actors_mod
from workers.pipeline.document import DocumentView
from workers.pipeline.quotes import extract_quotes

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "de_lagebild"


def blank_nlp():
    """Return a blank German pipeline with our sentence rules (no model)."""
    blank = spacy.blank("de")
    blank.add_pipe("lagebild_sentence_rules")
    return blank


def run(nlp, text, people=(), orgs=()):
    """Return the quotes of `text`; `people`/`orgs` are strings marked as PER/ORG entities."""
    doc = nlp(text)
    ents = []
    for names, label in ((people, "PER"), (orgs, "ORG")):
        for name in names:
            start = 0
            while (pos := text.find(name, start)) >= 0:
                span = doc.char_span(pos, pos + len(name), label=label)
                if span is not None:
                    ents.append(span)
                start = pos + len(name)
    doc.ents = spacy.util.filter_spans(ents)
    view = DocumentView.of(doc)
    found = actors_mod.extract_actors(view)
    quotes = extract_quotes(view, actors_mod.ActorIndex(found))
    for q in quotes:  # every span indexes the text exactly
        assert text[q["start"]:q["end"]] == q["text"]
        for part in (q["speaker"], q["cue"]):
            if part:
                assert text[part["start"]:part["end"]] == part["text"]
    names = {a["id"]: a["name"] for a in found}
    for q in quotes:
        q["speaker_name"] = names.get((q["speaker"] or {}).get("actor"))
        q["addressee_name"] = names.get(q["addressee"])
    return quotes


def one(quotes):
    assert len(quotes) == 1, [(q["kind"], q["text"]) for q in quotes]
    return quotes[0]
