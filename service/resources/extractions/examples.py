"""Examples for the extraction operations' documentation."""

_ARTICLE_ID = "3f2c9a7e8b1d4c6fa0e5d7b9c1a2f3e4"
_TEXT = ("Russlands Verteidigungsminister Andrey Belousov traf am Dienstag in Peking Zhang Youxia. "
         "„Wir teilen gemeinsame Ansichten“, sagte Belousov.")


def _m(text: str, start_hint: int = 0) -> dict:
    start = _TEXT.index(text, start_hint)
    return {"text": text, "start": start, "end": start + len(text)}


EXTRACTION = {
    "schema_version": "1",
    "article_id": _ARTICLE_ID,
    "version": 1,
    "created_at": "2024-10-16T08:00:03.000Z",
    "pipeline": {"name": "lagebild-de", "version": "0.1.0", "model": "de_lagebild-0.1.0"},
    "language": "de",
    "published_at": "2024-10-16",
    "actors": [
        {"id": "A1", "global_id": None, "name": "Andrey Belousov", "kind": "person", "named": True,
         "roles": ["Verteidigungsminister"], "country": "RUS",
         "mentions": [_m("Andrey Belousov"), _m("Belousov", 100)]},
        {"id": "A2", "global_id": None, "name": "Zhang Youxia", "kind": "person", "named": True, "roles": [],
         "country": "CHN", "mentions": [_m("Zhang Youxia")]},
        {"id": "A3", "global_id": None, "name": "Peking", "kind": "location", "named": True, "roles": [],
         "country": "CHN", "mentions": [_m("Peking")]},
    ],
    "events": [
        {"id": "E1", "type": "CONSULT", "mode": "meet", "trigger": _m("traf"),
         "evidence": _m(_TEXT[:_TEXT.index(".") + 1]), "mentions": [_m("traf")],
         "source": ["A1"], "target": ["A2"], "location": {"text": "Peking", "actor": "A3"},
         "time": {"text": "am Dienstag", "value": "2024-10-15", "granularity": "day"},
         "modality": "asserted", "confidence": 0.8},
    ],
    "quotes": [
        {"id": "Q1", "kind": "direct", "text": "Wir teilen gemeinsame Ansichten",
         "start": _TEXT.index("Wir"), "end": _TEXT.index("Wir") + len("Wir teilen gemeinsame Ansichten"),
         "speaker": {"actor": "A1", **_m("Belousov", 100)}, "cue": _m("sagte"), "addressee": None},
    ],
}

PAGE = {
    "items": [{
        "version": 1, "created_at": "2024-10-16T08:00:03.000Z", "job_id": "9b8a7c6d5e4f40318a2b1c0d9e8f7a6b",
        "pipeline": EXTRACTION["pipeline"], "counts": {"actors": 3, "events": 1, "quotes": 1},
        "etag": "\"4be1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9\"", "link": f"/v1/articles/{_ARTICLE_ID}/extractions/1",
    }],
    "next_cursor": None, "next": None,
}
