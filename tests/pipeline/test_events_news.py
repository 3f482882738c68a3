"""Event participants on constructions of unseen news (issue 12), run through the shipped model:
passive voice, the time of a clause, the owner of a demanded or rejected thing. Each test names the construction it pins."""
from __future__ import annotations

import datetime as dt

import pytest

ANCHOR = dt.date(2024, 10, 16)


@pytest.fixture(scope="module")
def pipeline():
    from workers.pipeline import load

    return load()


def events_of(pipeline, text: str) -> list[dict]:
    """The events of `text` with their participants' names."""
    result = pipeline.extract(text, ANCHOR)
    names = {a["id"]: a["name"] for a in result["actors"]}
    for event in result["events"]:
        event["source_names"] = [names[a] for a in event["source"]]
        event["target_names"] = [names[a] for a in event["target"]]
    return result["events"]


def only(events: list[dict], trigger: str) -> dict:
    found = [e for e in events if e["trigger"]["text"] == trigger]
    assert len(found) == 1, [e["trigger"]["text"] for e in events]
    return found[0]


# --- passive voice: "von X" is the source, the passive subject the target ----------------------

def test_passive_agent_is_source_and_subject_is_target(pipeline):
    event = only(events_of(pipeline, "Israel wurde am Montag von Ägypten scharf kritisiert."), "kritisiert")
    assert event["source_names"] == ["Ägypten"] and event["target_names"] == ["Israel"]


def test_passive_agent_is_the_labelled_one_not_a_source_of_information(pipeline):
    text = "Nach Informationen von Reuters wurde die Ukraine in der Nacht von Russland angegriffen."
    event = only(events_of(pipeline, text), "angegriffen")
    assert event["source_names"] == ["Russland"] and event["target_names"] == ["Ukraine"]


def test_passive_relative_clause_antecedent_is_target(pipeline):
    text = "Die Nato schickt Waffen an die Ukraine, die im Juni von Russland angegriffen worden war."
    event = only(events_of(pipeline, text), "angegriffen")
    assert event["source_names"] == ["Russland"] and event["target_names"] == ["Ukraine"]


# --- time from the clause: an actor in -ung is no event noun that takes the clause's time ------

def test_time_of_the_clause_is_not_taken_by_an_actor_noun_in_ung(pipeline):
    text = "Die Opposition lehnt den Plan ab. Gestern hat nun die Bundesregierung nach langem Zögern einem Kompromiss zugestimmt."
    event = only(events_of(pipeline, text), "zugestimmt")
    assert (event["time"] or {}).get("value") == "2024-10-15"


# --- the owner of a demanded or rejected thing is the target ------------------------------------

def test_place_adjective_of_the_rejected_object_is_target(pipeline):
    text = "Russland bot Hilfe an. Die Rebellen haben russische Vorschläge für eine Zusammenarbeit abgelehnt."
    event = only(events_of(pipeline, text), "abgelehnt")
    assert event["target_names"] == ["Russland"]


def test_genitive_name_of_the_demanded_object_is_target(pipeline):
    text = "Die Opposition kritisiert Präsident Putin. Die USA fordern Putins Rücktritt."
    event = only(events_of(pipeline, text), "fordern")
    assert event["source_names"] == ["Vereinigte Staaten"] and event["target_names"] == ["Putin"]


def test_genitive_name_parsed_as_the_object_with_its_noun_is_target(pipeline):
    # the parse makes "Assads" the object and "Rücktritt" its flat part
    text = "Der syrische Präsident Bashar al-Assad regiert seit 2000. Die USA und die syrische Opposition fordern Assads Rücktritt."
    event = only(events_of(pipeline, text), "fordern")
    assert len(event["target_names"]) == 1 and "Assad" in event["target_names"][0]


# --- a pronoun subject that names no actor takes up the previous sentence's subject ------------

def test_a_pronoun_subject_takes_up_the_previous_sentence(pipeline):
    text = "Xi Jinping traf am Montag Wladimir Putin in Moskau. Während des Treffens unterzeichneten sie ein Abkommen."
    event = only(events_of(pipeline, text), "unterzeichneten")
    assert sorted(event["source_names"]) == ["Wladimir Putin", "Xi Jinping"]
