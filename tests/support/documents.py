"""A fixed extraction for the API tests of the indexes (events, quotes, relations, exports).

The blank pipeline finds too little to query, so `fixed_pipeline` makes every job store these
actors, events and quotes (with the article's real `published_at`); the registry still gives the
actors their global ids, which the tests read back with `global_ids`.
"""
from __future__ import annotations

import copy

import pytest


def _actor(number, name, kind, country):
    return {"id": f"A{number}", "global_id": None, "name": name, "kind": kind, "roles": [], "country": country,
            "mentions": []}


ACTORS = [_actor(1, "Andrey Belousov", "person", "RUS"), _actor(2, "Dong Jun", "person", "CHN"),
          _actor(3, "Zhang Youxia", "person", "CHN"), _actor(4, "Russland", "state", "RUS"),
          _actor(5, "Peking", "location", "CHN"), _actor(6, "Ukraine", "state", "UKR")]
MENTION = {"text": "traf", "start": 0, "end": 4}


def _event(number, type_, source, target, location=None, time=None):
    return {"id": f"E{number}", "type": type_, "mode": None, "trigger": MENTION, "evidence": MENTION,
            "mentions": [MENTION], "source": source, "target": target, "location": location, "time": time,
            "modality": "asserted", "confidence": 0.8}


def _quote(number, kind, text, speaker=None, speaker_text=None, addressee=None, cue="sagte"):
    return {"id": f"Q{number}", "kind": kind, "text": text, "start": 10 * number, "end": 10 * number + len(text),
            "speaker": {"actor": speaker, "text": speaker_text, "start": 0, "end": len(speaker_text)}
            if speaker_text else None,
            "cue": {"text": cue, "start": 0, "end": len(cue)} if cue else None, "addressee": addressee}


EVENTS = [
    _event(1, "CONSULT", ["A1"], ["A2"], {"text": "Peking", "actor": "A5"},
           {"text": "am Dienstag", "value": "2024-10-15", "granularity": "day"}),
    _event(2, "ASSAULT", ["A4"], ["A6"], {"text": "der Ukraine", "actor": "A6"}),
    _event(3, "COOPERATE", ["A1", "A3"], [], {"text": "Nirgendwo", "actor": None}),
    _event(4, "REQUEST", ["A2"], ["A1"]),
]
QUOTES = [
    _quote(1, "direct", "Wir teilen gemeinsame Ansichten", "A1", "Belousov", addressee="A3"),
    _quote(2, "indirect", "die Zusammenarbeit sei zu 100% ein_Erfolg", "A3", "Zhang", addressee="A1"),
    _quote(3, "mixed", "=HYPERLINK(\"http://example.invalid\")", None, None, cue=None),
    _quote(4, "direct", "Wir reagieren ruhig", None, "er"),
]


@pytest.fixture
def fixed_pipeline(monkeypatch):
    """Make the extraction task store ACTORS, EVENTS and QUOTES (or what the test puts in the
    returned dict) for every article."""
    state = {"actors": ACTORS, "events": EVENTS, "quotes": QUOTES}
    from workers.pipeline import extractor

    real_extract = extractor.Pipeline.extract

    def extract(self, text, published_at=None):
        document = real_extract(self, text, published_at)
        for key in ("actors", "events", "quotes"):
            document[key] = copy.deepcopy(state[key])
        return document

    monkeypatch.setattr(extractor.Pipeline, "extract", extract)
    return state


def store(api, run_job, published_at: str = "2024-10-16", text: str = "Belousov traf Dong Jun.") -> dict:
    """Submit an article, run its job (with whatever pipeline is installed) and return the 202 body."""
    created = api.submit(text, published_at=published_at)
    run_job(created["job"]["id"])
    return created


def global_ids(api, article: dict) -> dict[str, str]:
    """{local actor id: global id} of the article's latest stored extraction."""
    document = api.get_json(f"/v1/articles/{article['id']}/extractions/latest")
    return {a["id"]: a["global_id"] for a in document["actors"]}
