"""The actor registry: global ids across articles, GET /v1/actors and GET /v1/actors/{id}."""
from __future__ import annotations

from pathlib import Path

import pytest

from lagebild_core import actors as registry_service

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LI_1 = "003_6d50f1b621e52415.txt"   # "Der chinesische Verteidigungsminister Li Shangfu …"
LI_2 = "004_0ff2ce53a4a392e5.txt"   # "… Verteidigungsminister Li Shangfu zufolge …"
ZHANG = "002_831e9328a17658ff.txt"


def submit(client, run_job, name: str) -> str:
    text = (SEEDS / name).read_text(encoding="utf-8")
    response = client.post("/v1/articles", json={"text": text, "published_at": "2023-04-17"})
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    run_job(body["job"]["id"])
    return body["id"]


@pytest.fixture
def three_articles(client, run_job):
    return [submit(client, run_job, name) for name in (LI_1, LI_2, ZHANG)]


def test_recurring_person_gets_one_global_id(client, three_articles):
    page = client.get("/v1/actors?q=shangfu").get_json()
    assert [item["id"] for item in page["items"]] == ["person:li-shangfu"]
    li = client.get("/v1/actors/person:li-shangfu").get_json()
    assert li["kind"] == "person" and li["country"] == "CHN" and li["name"] == "Li Shangfu"
    assert li["article_count"] == 3  # the third names him in a "read more" line
    assert {a["article_id"] for a in li["appearances"]} == set(three_articles)
    assert all(a["links"]["extraction"].endswith(f"/extractions/{a['version']}") for a in li["appearances"])
    assert any("Verteidigungsminister" in role for role in li["roles"])


def test_documents_carry_the_global_ids(client, three_articles):
    for article_id in three_articles:
        document = client.get(f"/v1/articles/{article_id}/extractions/latest").get_json()
        assert document["actors"]
        assert all(actor["global_id"] for actor in document["actors"])
        keys = {a["global_id"] for a in document["actors"]}
        assert "state:RUS" in keys and "state:CHN" in keys
    putin = client.get("/v1/actors?q=putin&kind=person").get_json()["items"]
    assert [p["id"] for p in putin] == ["person:wladimir-putin"]
    detail = client.get("/v1/actors/person:wladimir-putin").get_json()
    assert detail["article_count"] == 3


def test_filters_and_search(client, three_articles):
    states = client.get("/v1/actors?kind=state&country=rus").get_json()["items"]
    assert [s["id"] for s in states] == ["state:RUS"]
    assert "state:RUS" in [i["id"] for i in client.get("/v1/actors?q=RUSSLAND").get_json()["items"]]
    for item in client.get("/v1/actors?kind=organization&limit=100").get_json()["items"]:
        assert item["kind"] == "organization"


def test_pagination_walks_every_actor_once(client, three_articles):
    seen, url = [], "/v1/actors?limit=3"
    while url:
        page = client.get(url).get_json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen))
    everything = client.get("/v1/actors?limit=100").get_json()
    assert seen == [item["id"] for item in everything["items"]]


def test_unknown_actor_and_bad_arguments(client):
    response = client.get("/v1/actors/person:nobody")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert client.get("/v1/actors?kind=planet").status_code == 422
    assert client.get("/v1/actors?cursor=nonsense").status_code in (400, 422)


def _person(local, name, country=None, roles=()):
    return {"id": local, "global_id": None, "name": name, "kind": "person", "roles": list(roles),
            "country": country, "mentions": [{"text": name, "start": 0, "end": len(name)}]}


def test_link_actors_surname_and_shared_surnames(app):
    """A surname alone joins the one compatible full name; a shared surname does not merge."""
    from lagebild_core.store.models import Article

    database = app.extensions["lagebild_db"]
    with database.transaction() as session:
        for n in (1, 2, 3):
            session.add(Article(id=f"a{n}", text="x", text_sha256="0" * 64, status="succeeded"))
        session.flush()
        first = registry_service.link_actors(session, "default", "a1", 1, {
            "actors": [_person("A1", "Zhang Youxia", "CHN", ["General"]), _person("A2", "Wang Yi", "CHN"),
                       _person("A3", "Wang Wenbin", "CHN")],
            "quotes": [{"id": "Q1", "speaker": {"actor": "A1"}, "addressee": None}],
            "events": [{"id": "E1", "source": ["A1"], "target": ["A2"], "location": None}]})
        assert [a["global_id"] for a in first["actors"]] == [
            "person:zhang-youxia", "person:wang-yi", "person:wang-wenbin"]
        second = registry_service.link_actors(session, "default", "a2", 1, {
            "actors": [_person("A1", "Zhang", "CHN"), _person("A2", "Wang", "CHN")]})
        assert second["actors"][0]["global_id"] == "person:zhang-youxia"
        assert second["actors"][1]["global_id"] == "person:wang"
        third = registry_service.link_actors(session, "default", "a3", 1, {
            "actors": [_person("A1", "Andrej Beloussow", "RUS"), _person("A2", "Andrey Belousov", "RUS")]})
        assert third["actors"][0]["global_id"] == third["actors"][1]["global_id"]
        zhang = registry_service.get_actor(session, "person:zhang-youxia", tenant="default")
        assert zhang.name == "Zhang Youxia" and "Zhang" in zhang.names
        counts = [(a.quote_count, a.event_count) for a in registry_service.appearances(session, zhang.id, tenant="default")]
        assert counts == []  # no extraction versions are stored for these hand-made articles
