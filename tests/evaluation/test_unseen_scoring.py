"""Scoring of evaluation/unseen.py and the checks of evaluation/unseen_import.py on synthetic input."""
import pytest

from evaluation.events import match_events
from evaluation.unseen import forms_match, person_matcher, score_article
from evaluation.unseen_import import cut_event_anchor, cut_quote_anchor, normalise

TEXT = "Außenminister Ahmet Davutoğlu sagte, die Lage sei ernst. Ein Armeesprecher erklärte, Ankara habe angegriffen."


def _span(text, part):
    at = TEXT.index(text) if part is None else TEXT.index(part, TEXT.index(text))
    return at, at + len(part or text)


def _gold(**extra):
    start, end = _span("die Lage sei ernst", None)
    gold = {"key": "t-1", "persons": [{"names": ["Ahmet Davutoğlu", "Davutoğlu"], "roles": ["außenminister"],
                                       "country": "TUR"}],
            "unnamed": [{"mentions": ["Ein Armeesprecher"], "kind": "person", "roles": [], "organization": None,
                         "country": None}],
            "organizations": [], "states": ["TUR"],
            "quotes": [{"kind": "indirect", "start": start, "end": end, "anchor": "die Lage sei", "speaker":
                        "Ahmet Davutoğlu"}],
            "events": [{"type": "ASSAULT", "mentions": [["Ankara habe angegriffen", "angegriffen"]],
                        "source": ["Ankara"], "target": [], "place": None, "time": None, "modality": "asserted"}]}
    gold.update(extra)
    return gold


def _actor(aid, name, kind="person", country=None, mentions=(), roles=()):
    ms = [{"text": m, "start": _span(m, None)[0], "end": _span(m, None)[1]} for m in mentions]
    return {"id": aid, "name": name, "kind": kind, "country": country, "roles": list(roles), "mentions": ms,
            "global_id": f"state:{country}" if kind == "state" else None}


def _quote(speaker_text, actor):
    start, end = _span("die Lage sei ernst", None)
    s, e = _span(speaker_text, None)
    return {"kind": "indirect", "start": start, "end": end, "text": TEXT[start:end],
            "speaker": {"text": speaker_text, "start": s, "end": e, "actor": actor}}


def test_person_matches_without_diacritics_and_by_surname_and_duplicates_count_as_false_positives():
    actors = [_actor("A1", "Ahmet Davutoglu", roles=["türkische Außenminister"]), _actor("A2", "Davutoğlu")]
    c, _ = score_article(_gold(quotes=[], events=[]), TEXT, {"actors": actors, "quotes": [], "events": []})
    assert (c["person_tp"], c["person_pred"], c["person_gold"]) == (1, 2, 1)  # the second one is a duplicate
    assert c["role_ok"] == 1
    assert c["country_gold"] == 1 and c["country_gold_ok"] == 0 and c["country_pred"] == 0


def test_surname_alone_does_not_match_when_two_gold_persons_share_it():
    persons = [{"names": ["Lech Kaczyński"]}, {"names": ["Jarosław Kaczyński"]}]
    same = person_matcher(persons)
    assert not same("Kaczynski", persons[0]["names"])
    assert same("lech kaczynski", persons[0]["names"])
    assert person_matcher(persons[:1])("Kaczynski", persons[0]["names"])


def test_right_span_wrong_speaker_is_found_but_not_attributed():
    actors = [_actor("A1", "Ahmet Davutoğlu", mentions=["Ahmet Davutoğlu"]),
              _actor("A2", "Armeesprecher", mentions=["Armeesprecher"])]
    wrong = {"actors": actors, "quotes": [_quote("Armeesprecher", "A2")], "events": []}
    c, _ = score_article(_gold(events=[]), TEXT, wrong)
    assert c["quote_tp"] == 1 and c["speaker_n"] == 1 and c["speaker_ok"] == 0 and c["quote_attr"] == 0
    right = {"actors": actors, "quotes": [_quote("Ahmet Davutoğlu", "A1")], "events": []}
    c, _ = score_article(_gold(events=[]), TEXT, right)
    assert c["quote_tp"] == 1 and c["speaker_ok"] == 1 and c["quote_attr"] == 1


def test_state_speaker_is_right_by_country_and_unnamed_speaker_by_mention():
    gold = _gold(events=[])
    gold["quotes"][0]["speaker"] = "TUR"
    state = {"actors": [_actor("A1", "Türkei", kind="state", country="TUR", mentions=["Ankara"])],
             "quotes": [_quote("Ankara", "A1")], "events": []}
    assert score_article(gold, TEXT, state)[0]["quote_attr"] == 1
    other = {"actors": [_actor("A1", "Syrien", kind="state", country="SYR")], "quotes": [_quote("Ankara", "A1")],
             "events": []}
    assert score_article(gold, TEXT, other)[0]["quote_attr"] == 0
    gold["quotes"][0]["speaker"] = "Ein Armeesprecher"
    unnamed = {"actors": [], "quotes": [_quote("Armeesprecher", None)], "events": []}
    assert score_article(gold, TEXT, unnamed)[0]["quote_attr"] == 1


def test_gold_quote_without_speaker_wants_none():
    gold = _gold(events=[])
    gold["quotes"][0]["speaker"] = None
    ours = {"actors": [], "quotes": [_quote("Armeesprecher", None)], "events": []}
    c, _ = score_article(gold, TEXT, ours)
    assert c["quote_tp"] == 1 and c["quote_attr"] == 0 and c["speaker_n"] == 0


def test_pronoun_alone_does_not_name_a_speaker():
    assert not forms_match(["sie"], ["die Demonstranten", "Sie"])
    assert forms_match(["der Sprecher der Demonstranten"], ["Demonstranten"])


def test_unnamed_recall_by_mention_overlap():
    found = {"actors": [_actor("A1", "Armeesprecher", kind="group", mentions=["Armeesprecher"])], "quotes": [],
             "events": []}
    c, _ = score_article(_gold(quotes=[], events=[]), TEXT, found)
    assert (c["unnamed_found"], c["unnamed_gold"]) == (1, 1)
    c, _ = score_article(_gold(quotes=[], events=[]), TEXT, {"actors": [], "quotes": [], "events": []})
    assert c["unnamed_found"] == 0


def _event(etype, trigger, modality="asserted", source=()):
    s, e = _span("Ankara habe angegriffen", trigger)
    return {"type": etype, "mentions": [{"text": trigger, "start": s, "end": e}], "trigger": {"text": trigger},
            "source": list(source), "target": [], "time": None, "modality": modality}


def test_events_need_the_same_type_and_are_matched_one_to_one():
    gold = _gold(quotes=[])
    spans = [[_span("Ankara habe angegriffen", "angegriffen")]]
    assert match_events([_event("COERCE", "angegriffen")], gold["events"], spans) == ([], set())
    matches, duplicates = match_events([_event("ASSAULT", "angegriffen")] * 2, gold["events"], spans)
    assert matches == [(0, 0)] and duplicates == {1}
    actors = [_actor("A1", "Türkei", kind="state", country="TUR", mentions=["Ankara"])]
    c, _ = score_article(gold, TEXT, {"actors": actors, "quotes": [],
                                      "events": [_event("ASSAULT", "angegriffen", "negated", ["A1"])]})
    assert (c["event_tp"], c["participants_ok"], c["modality_ok"]) == (1, 1, 0)


def test_anchors_are_cut_to_six_words():
    assert cut_quote_anchor("eins zwei drei vier fünf sechs sieben") == "eins zwei drei vier fünf sechs"
    text = "a b c d e f g Angriff h i j k a b Angriff"
    short = cut_event_anchor(text, "a b c d e f g Angriff h i", "Angriff")
    assert len(short.split()) <= 6 and "Angriff" in short
    assert text.find(short) + short.find("Angriff") == text.index("Angriff")


def test_import_reports_a_wrong_offset():
    gold = _gold()
    gold["quotes"][0]["start"] += 1
    problems = []
    normalise({**gold, "published_at": None}, {"text": TEXT, "published_at": None, "dataset": "x", "row": 1}, problems)
    assert any("does not start with its anchor" in p for p in problems)


@pytest.mark.parametrize("field,value,message", [("speaker", "Niemand", "speaker"), ("kind", "free", "kind")])
def test_import_rejects_unknown_speakers_and_kinds(field, value, message):
    gold = _gold()
    gold["quotes"][0][field] = value
    problems = []
    normalise({**gold, "row": 1}, {"text": TEXT, "published_at": None, "dataset": "x", "row": 1}, problems)
    assert any(message in p for p in problems)


def test_event_participants_by_state_code_and_by_any_spelling_of_the_gold_entity():
    from evaluation.unseen import participants_right

    gold = _gold()
    event = {"source": ["A1"], "target": ["A2"]}
    serbia = {"id": "A1", "name": "Serbien", "kind": "state", "country": "SRB", "global_id": "state:SRB", "mentions": []}
    person = {"id": "A2", "name": "Davutoğlu", "kind": "person", "country": "TUR", "mentions": []}
    actors = {"A1": serbia, "A2": person}
    # a state code matches the state actor; the person's first spelling matches its surname-only actor
    assert participants_right(event, {"source": ["SRB"], "target": ["Ahmet Davutoğlu"]}, gold, actors)
    # a person actor of that country is not the state
    assert not participants_right({"source": ["A2"], "target": []}, {"source": ["TUR"], "target": []}, gold, actors)
    # an unnamed actor is found by any of its gold mentions
    gold["unnamed"][0]["mentions"] = ["sowjetische Armee", "sowjetischen Armee"]
    army = {"id": "A3", "name": "sowjetischen Armee", "kind": "group", "mentions": []}
    assert participants_right({"source": ["A3"], "target": []}, {"source": ["sowjetische Armee"], "target": []},
                              gold, {"A3": army})
