"""Examples for the quotes resource, shown in /docs and openapi.yaml."""

_ARTICLE_ID = "3f2b8c1e9a7d4b6f8e0c1a2b3c4d5e6f"

PAGE = {
    "items": [{
        "article_id": _ARTICLE_ID,
        "version": 1,
        "published_at": "2024-10-16",
        "quote_id": "Q1",
        "kind": "direct",
        "text": "Wir teilen gemeinsame Ansichten",
        "start": 90,
        "end": 121,
        "cue": "sagte",
        "speaker": {"text": "Belousov", "actor": {"id": "person:andrey-belousov", "name": "Andrey Belousov"}},
        "addressee": None,
        "links": {"article": f"/v1/articles/{_ARTICLE_ID}", "extraction": f"/v1/articles/{_ARTICLE_ID}/extractions/1"},
    }],
    "next_cursor": None,
    "next": None,
}

CSV_ROW = (_ARTICLE_ID, 1, "2024-10-16", "Q1", "direct", "Wir teilen gemeinsame Ansichten", 90, 121, "sagte", "Belousov",
           "person:andrey-belousov", "Andrey Belousov", None, None)
