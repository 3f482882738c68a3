"""Examples for the stories resource, shown in /docs and openapi.yaml."""

ARTICLE = "3f2b8c1e9a7d4b6f8e0c1a2b3c4d5e6f"
OTHER = "9a0c7e5d3b1f4a2c8e6d4b2a0f9e8d7c"

STORY = {
    "id": "s1c9e4f0a7b3d2e6f8a9b0c1d2e",
    "type": "CONSULT",
    "mode": "meet",
    "participants": [{"global_id": "person:andrey-belousov", "name": "Andrey Belousov", "country": "RUS"},
                     {"global_id": "person:zhang-youxia", "name": "Zhang Youxia", "country": "CHN"}],
    "place": {"global_id": "location:peking", "name": "Peking"},
    "time": {"value": "2024-10-15", "granularity": "day", "start": "2024-10-15", "end": "2024-10-15"},
    "first_report": "2024-10-16",
    "last_report": "2024-10-17",
    "report_count": 2,
    "article_count": 2,
    "reports": [
        {"article_id": ARTICLE, "version": 1, "event_id": "E3", "published_at": "2024-10-16", "mode": "visit",
         "modality": "asserted", "time": None,
         "evidence": {"text": "Der Besuch von Belousov ist laut russischen Staatsmedien sein erster nach seiner "
                              "Ernennung im Mai.", "start": 1180, "end": 1275},
         "links": {"article": f"/v1/articles/{ARTICLE}", "extraction": f"/v1/articles/{ARTICLE}/extractions/1"}},
        {"article_id": OTHER, "version": 1, "event_id": "E1", "published_at": "2024-10-17", "mode": "meet",
         "modality": "asserted",
         "time": {"text": "am 15. Oktober", "value": "2024-10-15", "granularity": "day", "start": 61, "end": 75},
         "evidence": {"text": "Der russische Verteidigungsminister Andrej Belousov traf am 15. Oktober in Peking "
                              "den chinesischen General Zhang Youxia.", "start": 0, "end": 118},
         "links": {"article": f"/v1/articles/{OTHER}", "extraction": f"/v1/articles/{OTHER}/extractions/1"}},
    ],
    "updated_at": "2024-10-17T08:12:03.512Z",
    "links": {"self": "/v1/stories/s1c9e4f0a7b3d2e6f8a9b0c1d2e",
              "events": "/v1/events?story=s1c9e4f0a7b3d2e6f8a9b0c1d2e"},
}

PAGE = {"items": [STORY], "next_cursor": None, "next": None}

CSV_ROW = (STORY["id"], "CONSULT", "meet", "2024-10-15", "day", "2024-10-15", "2024-10-15", "location:peking", "Peking",
           ["person:andrey-belousov", "person:zhang-youxia"], ["Andrey Belousov", "Zhang Youxia"],
           "2024-10-16", "2024-10-17", 3, 3, [ARTICLE, OTHER])

FEATURES = {
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [116.39723, 39.9075]},
        "properties": {
            "story_id": STORY["id"], "type": "CONSULT", "mode": "meet", "time": "2024-10-15", "place": "Beijing",
            "precision": "city",
            "participants": [{"id": "person:andrey-belousov", "name": "Andrey Belousov"},
                             {"id": "person:zhang-youxia", "name": "Zhang Youxia"}],
            "first_report": "2024-10-16", "last_report": "2024-10-17", "report_count": 3,
            "links": {"self": f"/v1/stories/{STORY['id']}"},
        },
    }],
}
