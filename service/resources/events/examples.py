"""Examples for the events resource, shown in /docs and openapi.yaml."""

EVENT = {
    "id": "E3",
    "type": "CONSULT",
    "mode": "meet",
    "trigger": {"text": "traf", "start": 1741, "end": 1745},
    "evidence": {"text": "Belousov traf auch einen Tag zuvor den chinesischen Verteidigungsminister Dong Jun, "
                         "der in der militärischen Hierarchie Chinas unter Zhang steht.", "start": 1732, "end": 1870},
    "mentions": [{"text": "traf", "start": 1741, "end": 1745}],
    "source": ["A2"],
    "target": ["A14"],
    "location": None,
    "time": {"text": "einen Tag zuvor", "value": "2024-10-14", "granularity": "day"},
    "modality": "asserted",
    "confidence": 0.9,
}

PAGE = {
    "items": [{
        "article_id": "3f2b8c1e9a7d4b6f8e0c1a2b3c4d5e6f",
        "version": 1,
        "published_at": "2024-10-16",
        "event": EVENT,
        "story_id": "s5d0b7a1e3c9f2846a1b0c3d4e",
        "participants": [
            {"role": "source", "actor": "A2", "global_id": "person:andrey-belousov", "name": "Andrey Belousov",
             "country": "RUS"},
            {"role": "target", "actor": "A14", "global_id": "person:dong-jun", "name": "Dong Jun", "country": "CHN"},
        ],
        "links": {"article": "/v1/articles/3f2b8c1e9a7d4b6f8e0c1a2b3c4d5e6f",
                  "extraction": "/v1/articles/3f2b8c1e9a7d4b6f8e0c1a2b3c4d5e6f/extractions/1",
                  "story": "/v1/stories/s5d0b7a1e3c9f2846a1b0c3d4e"},
    }],
    "next_cursor": None,
    "next": None,
}

_ARTICLE_ID = PAGE["items"][0]["article_id"]

CSV_ROW = (_ARTICLE_ID, 1, "2024-10-16", "E3", "CONSULT", "meet", "asserted", "einen Tag zuvor", "2024-10-14", "day",
           "traf", EVENT["evidence"]["text"], None, ["person:andrey-belousov"], ["Andrey Belousov"],
           ["person:dong-jun"], ["Dong Jun"], 0.9, "5c1d0e8f2a7b4c3d9e6f1a2b3c4d5e6f")

FEATURES = {
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [116.39723, 39.9075]},
        "properties": {
            "article_id": _ARTICLE_ID, "version": 1, "published_at": "2024-10-16", "event_id": "E1",
            "type": "CONSULT", "mode": "meet", "modality": "asserted", "time": "2024-10-15", "location": "Peking",
            "place": "Beijing", "precision": "city",
            "sources": [{"id": "person:andrey-belousov", "name": "Andrey Belousov"}],
            "targets": [{"id": "person:zhang-youxia", "name": "Zhang Youxia"}],
            "links": {"article": f"/v1/articles/{_ARTICLE_ID}", "extraction": f"/v1/articles/{_ARTICLE_ID}/extractions/1"},
        },
    }],
}
