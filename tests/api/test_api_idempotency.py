"""Idempotency-Key: a retried request returns the first answer and does no work twice."""
from __future__ import annotations

import pytest


def post(client, key, body=None, **kwargs):
    return client.post("/v1/articles", json=body if body is not None else {"text": "Ein Text."},
                       headers={"Idempotency-Key": key}, **kwargs)


def test_same_key_same_body_replays_the_first_answer(api, client):
    first = post(client, "key-1")
    assert first.status_code == 202 and "Idempotent-Replayed" not in first.headers
    second = post(client, "key-1")
    assert second.status_code == 202
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.get_json() == first.get_json()
    for name in ("Location", "Operation-Location", "Retry-After"):
        assert second.headers[name] == first.headers[name]
    assert api.counts()["articles"] == 1 and api.counts()["jobs"] == 1
    assert api.list_ids() == [first.get_json()["id"]]


def test_replay_survives_a_finished_job(api, client, run_job):
    first = post(client, "key-done").get_json()
    run_job(first["job"]["id"])
    replay = post(client, "key-done")
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json()["id"] == first["id"]
    assert api.counts() == {"articles": 1, "jobs": 1, "extractions": 1, "idempotency_records": 1}


def test_same_key_different_body_is_422(api, client, problem):
    first = post(client, "key-2", {"text": "Erster Text."})
    assert first.status_code == 202
    body = problem(post(client, "key-2", {"text": "Anderer Text."}), 422, "idempotency-key-reused")
    assert "key-2" in body["detail"]
    assert api.counts()["articles"] == 1


def test_same_key_different_query_is_422(api, client, problem):
    kwargs = {"data": "Text.".encode(), "content_type": "text/plain", "headers": {"Idempotency-Key": "key-q"}}
    assert client.post("/v1/articles", query_string={"title": "A"}, **kwargs).status_code == 202
    problem(client.post("/v1/articles", query_string={"title": "B"}, **kwargs), 422, "idempotency-key-reused")
    assert api.counts()["articles"] == 1


def test_same_key_same_bytes_other_charset_is_a_different_request(api, client, problem):
    raw = "Grüße".encode("utf-8")  # read as latin-1 it is another text: "GrÃ¼Ãe"
    headers = {"Idempotency-Key": "key-charset"}
    first = client.post("/v1/articles", data=raw, content_type="text/plain; charset=utf-8", headers=headers)
    assert first.status_code == 202
    second = client.post("/v1/articles", data=raw, content_type="text/plain; charset=latin-1", headers=headers)
    problem(second, 422, "idempotency-key-reused")
    assert api.article(first.get_json()["id"])["text"] == "Grüße"
    assert api.counts()["articles"] == 1


def test_keys_are_independent_and_absent_key_never_replays(api, client):
    a, b = post(client, "key-a").get_json(), post(client, "key-b").get_json()
    assert a["id"] != b["id"]
    plain = [client.post("/v1/articles", json={"text": "Ein Text."}) for _ in range(2)]
    assert all("Idempotent-Replayed" not in r.headers for r in plain)
    assert api.counts()["articles"] == 4


def test_key_is_scoped_to_the_operation(api, client):
    article = post(client, "shared-key").get_json()
    rerun = client.post(f"/v1/articles/{article['id']}/extractions", headers={"Idempotency-Key": "shared-key"})
    assert rerun.status_code == 202 and "Idempotent-Replayed" not in rerun.headers
    assert rerun.get_json()["id"] != article["job"]["id"]


@pytest.mark.parametrize("key", ["", "mit leerzeichen", "x" * 256, "schlüssel", "tab\tkey"])
def test_invalid_key_is_422_and_writes_nothing(api, problem, key):
    problem(post(api.client, key), 422, "validation-error", field="Idempotency-Key")
    api.assert_nothing_written()


def test_rejected_request_does_not_burn_the_key(api, client, problem):
    problem(post(client, "key-retry", {"text": " "}), 422, "validation-error", field="text")
    api.assert_nothing_written()
    response = post(client, "key-retry", {"text": "Jetzt richtig."})
    assert response.status_code == 202 and "Idempotent-Replayed" not in response.headers


def test_batch_replay(api, client, problem):
    body = {"articles": [{"text": "Eins."}, {"text": "Zwei."}]}
    headers = {"Idempotency-Key": "batch-1"}
    first = client.post("/v1/articles:batch", json=body, headers=headers)
    second = client.post("/v1/articles:batch", json=body, headers=headers)
    assert first.status_code == second.status_code == 202
    assert second.headers["Idempotent-Replayed"] == "true"
    assert [i["id"] for i in second.get_json()["items"]] == [i["id"] for i in first.get_json()["items"]]
    assert api.counts()["articles"] == 2
    problem(client.post("/v1/articles:batch", json={"articles": [{"text": "Drei."}]}, headers=headers), 422,
            "idempotency-key-reused")


def test_rerun_replay_queues_one_job(api, client, run_job):
    article = api.submit()
    run_job(article["job"]["id"])
    url = f"/v1/articles/{article['id']}/extractions"
    first = client.post(url, headers={"Idempotency-Key": "rerun-1"})
    second = client.post(url, headers={"Idempotency-Key": "rerun-1"})
    assert first.status_code == second.status_code == 202
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.get_json()["id"] == first.get_json()["id"]
    assert api.counts()["jobs"] == 2


def test_concurrent_first_use_of_a_key_replays_the_winner(api, client, monkeypatch):
    """Two requests with one key pass the recall check at once: the loser's insert hits the
    unique key, its work is rolled back, and it answers with the winner's response."""
    from lagebild_core import domain
    winner = post(client, "key-race")
    real_recall = domain.recall_response
    calls = []

    def recall_late(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_recall(*args)  # the first check ran before the winner's commit
    monkeypatch.setattr(domain, "recall_response", recall_late)
    loser = post(client, "key-race")
    assert len(calls) == 2
    assert loser.status_code == 202 and loser.headers["Idempotent-Replayed"] == "true"
    assert loser.get_json()["id"] == winner.get_json()["id"]
    assert api.counts() == {"articles": 1, "jobs": 1, "extractions": 0, "idempotency_records": 1}


def test_key_of_a_deleted_article_is_forgotten(api, client):
    """Replaying would point at a deleted article: the key starts afresh instead."""
    first = post(client, "key-deleted").get_json()
    assert client.delete(f"/v1/articles/{first['id']}").status_code == 204
    again = post(client, "key-deleted")
    assert again.status_code == 202 and "Idempotent-Replayed" not in again.headers
    assert again.get_json()["id"] != first["id"]
    assert client.get(again.headers["Location"]).status_code == 200
    assert api.counts()["articles"] == 1 and api.counts()["idempotency_records"] == 1


def test_rerun_key_of_a_deleted_article_is_forgotten(client):
    article = post(client, "key-article").get_json()
    rerun = client.post(f"/v1/articles/{article['id']}/extractions", headers={"Idempotency-Key": "key-rerun"})
    assert rerun.status_code == 202
    client.delete(f"/v1/articles/{article['id']}")
    again = client.post(f"/v1/articles/{article['id']}/extractions", headers={"Idempotency-Key": "key-rerun"})
    assert again.status_code == 404
