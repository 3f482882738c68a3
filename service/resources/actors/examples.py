"""Examples for the actor operations' documentation."""

_ARTICLE_ID = "3f2c9a7e8b1d4c6fa0e5d7b9c1a2f3e4"

ACTOR_SUMMARY = {
    "id": "person:andrey-belousov", "kind": "person", "name": "Andrey Belousov",
    "names": ["Andrey Belousov", "Andrej Beloussow"], "roles": ["russische Verteidigungsminister"],
    "country": "RUS", "created_at": "2024-10-16T08:00:03.000Z", "updated_at": "2024-10-17T09:12:44.000Z",
    "links": {"self": "/v1/actors/person:andrey-belousov", "quotes": "/v1/quotes?actor=person:andrey-belousov",
              "events": "/v1/events?actor=person:andrey-belousov",
              "relations": "/v1/actors/person:andrey-belousov/relations"},
}

PAGE = {"items": [ACTOR_SUMMARY], "next_cursor": "cDoxMg", "next": "/v1/actors?limit=20&cursor=cDoxMg"}

ACTOR = ACTOR_SUMMARY | {
    "article_count": 1, "quote_count": 1, "event_count": 1,
    "appearances": [{
        "article_id": _ARTICLE_ID, "version": 1, "local_id": "A1", "name": "Andrey Belousov",
        "mention_count": 2, "quote_count": 1, "event_count": 1, "quotes": ["Q1"], "events": ["E1"],
        "links": {"article": f"/v1/articles/{_ARTICLE_ID}",
                  "extraction": f"/v1/articles/{_ARTICLE_ID}/extractions/1"},
    }],
}

RELATIONS = {
    "actor": {"id": "person:andrey-belousov", "name": "Andrey Belousov"},
    "relations": [
        {"actor": {"id": "person:dong-jun", "name": "Dong Jun"}, "via": "event", "type": "CONSULT",
         "direction": "outgoing", "count": 1, "first_published_at": "2024-10-16", "last_published_at": "2024-10-16",
         "evidence": [{"article_id": _ARTICLE_ID, "version": 1, "item_id": "E7", "published_at": "2024-10-16",
                       "links": {"extraction": f"/v1/articles/{_ARTICLE_ID}/extractions/1"}}],
         "links": {"items": "/v1/events?actor=person:andrey-belousov&type=CONSULT"}},
        {"actor": {"id": "person:zhang-youxia", "name": "Zhang Youxia"}, "via": "quote", "type": None,
         "direction": "outgoing", "count": 1, "first_published_at": "2024-10-16", "last_published_at": "2024-10-16",
         "evidence": [{"article_id": _ARTICLE_ID, "version": 1, "item_id": "Q1", "published_at": "2024-10-16",
                       "links": {"extraction": f"/v1/articles/{_ARTICLE_ID}/extractions/1"}}],
         "links": {"items": "/v1/quotes?actor=person:andrey-belousov&addressee=person:zhang-youxia"}},
    ],
    "truncated": False,
}
