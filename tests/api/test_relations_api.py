"""GET /v1/actors/{id}/relations: actors linked through events (by type and direction) and
through quotes (speaker → addressee), with counts, publication dates and bounded evidence."""
from __future__ import annotations

import pytest

from lagebild_core.relations import EVIDENCE_PER_RELATION
from tests.support import documents
from tests.support.documents import global_ids, store

fixed_pipeline = documents.fixed_pipeline  # the fixture, used by this module's tests


@pytest.fixture
def two_articles(api, run_job, fixed_pipeline):
    return [store(api, run_job, "2023-03-31", "Erster Text."), store(api, run_job, "2024-10-16", "Zweiter Text.")]


def _relations(api, actor, **query):
    body = api.get_json(f"/v1/actors/{actor}/relations", query_string=query)
    return body, {(r["actor"]["name"], r["via"], r["type"], r["direction"]): r for r in body["relations"]}


def test_relations_through_events_and_quotes(api, two_articles):
    gids = global_ids(api, two_articles[0])
    body, found = _relations(api, gids["A1"])
    assert body["actor"] == {"id": gids["A1"], "name": "Andrey Belousov"} and body["truncated"] is False
    assert set(found) == {
        ("Dong Jun", "event", "CONSULT", "outgoing"),     # E1: Belousov → Dong Jun
        ("Dong Jun", "event", "REQUEST", "incoming"),     # E4: Dong Jun → Belousov
        ("Zhang Youxia", "event", "COOPERATE", "joint"),  # E3: both sources
        ("Zhang Youxia", "quote", None, "outgoing"),      # Q1: Belousov speaks to Zhang
        ("Zhang Youxia", "quote", None, "incoming"),      # Q2: Zhang speaks to Belousov
    }
    consult = found[("Dong Jun", "event", "CONSULT", "outgoing")]
    assert consult["count"] == 2 and consult["actor"]["id"] == gids["A2"]
    assert (consult["first_published_at"], consult["last_published_at"]) == ("2023-03-31", "2024-10-16")
    assert [(e["article_id"], e["item_id"]) for e in consult["evidence"]] == \
        [(two_articles[1]["id"], "E1"), (two_articles[0]["id"], "E1")]  # newest first
    assert consult["links"]["items"] == f"/v1/events?actor={gids['A1']}&type=CONSULT"
    spoken = found[("Zhang Youxia", "quote", None, "outgoing")]
    assert spoken["links"]["items"] == f"/v1/quotes?actor={gids['A1']}&addressee={gids['A3']}"
    assert [i["quote_id"] for i in api.get_json(spoken["links"]["items"])["items"]] == ["Q1", "Q1"]
    assert spoken["evidence"][0]["links"]["extraction"] == f"/v1/articles/{two_articles[1]['id']}/extractions/1"


def test_the_other_side_sees_the_reverse_direction(api, two_articles):
    gids = global_ids(api, two_articles[0])
    _, found = _relations(api, gids["A2"])
    assert set(found) == {("Andrey Belousov", "event", "CONSULT", "incoming"),
                          ("Andrey Belousov", "event", "REQUEST", "outgoing")}
    _, found = _relations(api, gids["A6"])  # the target of an assault by a state
    assert set(found) == {("Russland", "event", "ASSAULT", "incoming")}


def test_filters_and_limit(api, two_articles):
    belousov = global_ids(api, two_articles[0])["A1"]
    _, found = _relations(api, belousov, via="quote")
    assert {key[1] for key in found} == {"quote"} and len(found) == 2
    _, found = _relations(api, belousov, type="REQUEST")
    assert list(found) == [("Dong Jun", "event", "REQUEST", "incoming")]
    body, _ = _relations(api, belousov, limit=2)
    assert len(body["relations"]) == 2 and body["truncated"] is True
    counts = [r["count"] for r in _relations(api, belousov)[0]["relations"]]
    assert counts == sorted(counts, reverse=True)


def test_evidence_is_bounded(api, run_job, fixed_pipeline):
    articles = [store(api, run_job, f"2024-10-{day:02d}", f"Text {day}.") for day in range(1, EVIDENCE_PER_RELATION + 3)]
    belousov = global_ids(api, articles[0])["A1"]
    _, found = _relations(api, belousov)
    consult = found[("Dong Jun", "event", "CONSULT", "outgoing")]
    assert consult["count"] == len(articles)
    assert [e["article_id"] for e in consult["evidence"]] == [a["id"] for a in articles[::-1][:EVIDENCE_PER_RELATION]]


def test_a_new_version_and_deletion_change_the_relations(api, client, two_articles, run_job, fixed_pipeline):
    belousov = global_ids(api, two_articles[0])["A1"]
    fixed_pipeline["events"], fixed_pipeline["quotes"] = [], []
    rerun = client.post(f"/v1/articles/{two_articles[0]['id']}/extractions")
    run_job(rerun.get_json()["id"])
    _, found = _relations(api, belousov)
    assert found[("Dong Jun", "event", "CONSULT", "outgoing")]["count"] == 1
    assert client.delete(f"/v1/articles/{two_articles[1]['id']}").status_code == 204
    assert _relations(api, belousov)[0]["relations"] == []


def test_another_tenants_actor_is_404(api, two_articles, client_of, problem):
    belousov = global_ids(api, two_articles[0])["A1"]
    other = client_of("tenant-b", "read")
    problem(other.get(f"/v1/actors/{belousov}/relations"), 404, "not-found")
    problem(api.client.get("/v1/actors/person:nobody/relations"), 404, "not-found")


def test_same_ids_in_another_tenant_do_not_mix(api, two_articles, client_of, run_job):
    """Global ids are per tenant: tenant-b's "Belousov" has only tenant-b's relations."""
    from tests.api.conftest import ApiHelper
    other = ApiHelper(api.app, client_of("tenant-b"))
    article = store(other, run_job, "2022-01-01", "Text von B.")
    belousov = global_ids(other, article)["A1"]
    assert belousov == global_ids(api, two_articles[0])["A1"]
    _, found = _relations(other, belousov)
    assert found[("Dong Jun", "event", "CONSULT", "outgoing")]["count"] == 1
    assert found[("Dong Jun", "event", "CONSULT", "outgoing")]["first_published_at"] == "2022-01-01"


@pytest.mark.parametrize("query, field", [({"via": "rumour"}, "via"), ({"type": "MEET"}, "type"),
                                          ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit")])
def test_invalid_arguments_are_422(api, two_articles, problem, query, field):
    belousov = global_ids(api, two_articles[0])["A1"]
    problem(api.client.get(f"/v1/actors/{belousov}/relations", query_string=query), 422, field=field)


def test_an_actor_named_twice_in_one_event(api, run_job, fixed_pipeline):
    """"Russland" and "Moskau" (the same state) as source and target: the event is listed once
    for the state, in pages too, and the state has no relation to itself."""
    from tests.support.documents import ACTORS, EVENTS, _actor, _event
    fixed_pipeline["actors"] = ACTORS + [_actor(7, "Moskau", "state", "RUS")]
    fixed_pipeline["events"] = EVENTS + [_event(5, "THREATEN", ["A4"], ["A7", "A6"])]
    article = store(api, run_job)
    russia = global_ids(api, article)["A4"]
    assert global_ids(api, article)["A7"] == russia
    assert [i["event"]["id"] for i in api.get_json(f"/v1/events?actor={russia}")["items"]] == ["E5", "E2"]
    first = api.get_json(f"/v1/events?actor={russia}&limit=1")
    assert [i["event"]["id"] for i in first["items"]] == ["E5"]
    assert [i["event"]["id"] for i in api.get_json(first["next"])["items"]] == ["E2"]
    _, found = _relations(api, russia)
    assert set(found) == {("Ukraine", "event", "ASSAULT", "outgoing"), ("Ukraine", "event", "THREATEN", "outgoing")}


def test_the_counts_stay_the_number_of_rows(api, client, run_job, fixed_pipeline):
    """Counts are kept by differences (new versions, deletions); they must equal a recount."""
    from sqlalchemy import func, select

    from lagebild_core.store.relations import KEY, RelationCount, RelationRecord
    articles = [store(api, run_job, f"2024-10-{day:02d}", f"Text {day}.") for day in (1, 2, 3)]
    fixed_pipeline["events"] = fixed_pipeline["events"][:2]
    run_job(client.post(f"/v1/articles/{articles[0]['id']}/extractions").get_json()["id"])
    assert client.delete(f"/v1/articles/{articles[1]['id']}").status_code == 204
    with api.session() as session:
        columns = [getattr(RelationRecord, c) for c in KEY]
        recount = {tuple(r[:-1]): r[-1] for r in session.execute(
            select(*columns, func.count()).group_by(*columns))}
        kept = {tuple(getattr(c, k) for k in KEY): c.count for c in session.scalars(select(RelationCount))
                if c.count}
    assert kept == recount and recount
