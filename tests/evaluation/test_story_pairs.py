"""The stories evaluation: its written pairs are well-formed and split, and a pair is scored
through the registry and the event index as the service groups it (no pipeline here)."""
from __future__ import annotations

import json

from evaluation import stories as evaluation
from lagebild_core.store import Database


def test_the_written_scenarios_give_enough_pairs_on_both_halves():
    scenarios = json.loads(evaluation.WRITTEN.read_text(encoding="utf-8"))["scenarios"]
    for split in ("development", "held-out"):
        group = [s for s in scenarios if s["split"] == split]
        same = sum(1 for _ in group for _, _, is_same in evaluation.PAIRS if is_same)
        different = sum(1 for _ in group for _, _, is_same in evaluation.PAIRS if not is_same)
        assert same >= 5 and different >= 10, split
    assert sum(1 for s in scenarios for _, _, same in evaluation.PAIRS if same) >= 10
    for scenario in scenarios:
        assert {"a", "b", "c", "d"} <= set(scenario) and scenario["type"].isupper()
        assert all(scenario[k]["text"] and len(scenario[k]["published_at"]) == 10 for k in "abcd")


def _document(published, day, place):
    span = {"text": "Scholz traf Macron.", "start": 0, "end": 19}
    actors = [{"id": "A1", "kind": "person", "name": "Olaf Scholz", "country": "DEU", "roles": [], "mentions": []},
              {"id": "A2", "kind": "person", "name": "Emmanuel Macron", "country": "FRA", "roles": [],
               "mentions": []},
              {"id": "A3", "kind": "location", "name": place, "country": None, "roles": [], "mentions": []}]
    return {"published_at": published, "actors": actors, "quotes": [], "events": [{
        "id": "E1", "type": "CONSULT", "mode": "meet", "trigger": span, "evidence": span, "mentions": [span],
        "source": ["A1"], "target": ["A2"], "location": {"text": place, "actor": "A3"},
        "time": {"text": "am Montag", "value": day, "granularity": "day"}, "modality": "asserted",
        "confidence": 0.8}]}


def test_a_pair_is_one_story_only_when_the_service_groups_it(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'pairs.sqlite3'}")
    database.upgrade()
    scenario = {"type": "CONSULT", **{k: {"text": "…", "published_at": "2024-05-14"} for k in "abcd"}}
    documents = {"a": _document("2024-05-14", "2024-05-13", "Berlin"),
                 "b": _document("2024-05-14", "2024-05-13", "Berlin"),
                 "c": _document("2024-05-14", "2024-05-12", "Berlin"),
                 "d": _document("2024-05-14", "2024-05-13", "Paris")}
    assert evaluation.predict_same(database, "ab", scenario, documents, "a", "b")
    assert not evaluation.predict_same(database, "ac", scenario, documents, "a", "c")
    assert not evaluation.predict_same(database, "ad", scenario, documents, "a", "d")
    database.engine.dispose()
