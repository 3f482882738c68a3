"""Quote matching and attributed scoring of evaluation/spkatt.py on small synthetic articles (no model)."""
from evaluation.spkatt import Article, attributed_ok, match_sets, score_article, table

# "Merkel sagte , die Lage sei ernst . Er lachte ."
TOKENS = ["Merkel", "sagte", ",", "die", "Lage", "sei", "ernst", ".", "Er", "lachte", "."]


def _article(source=("0:0",)):
    return Article({"id": 1, "Sentences": [{"SentenceId": 0, "Tokens": TOKENS}], "Annotations": [
        {"Form": "Indirect", "Message": ["0:3", "0:4", "0:5", "0:6"], "Source": list(source),
         "MessageText": "die Lage sei ernst", "SourceText": "Merkel"}]})


def _quote(art, speaker_span, actor=None):
    start = art.text.index("die Lage")
    end = art.text.index("ernst") + len("ernst")
    q = {"kind": "indirect", "start": start, "end": end, "text": art.text[start:end], "speaker": None}
    if speaker_span:
        s = art.text.index(speaker_span)
        q["speaker"] = {"text": speaker_span, "start": s, "end": s + len(speaker_span), "actor": actor}
    return q


def test_match_sets_needs_half_of_each_and_is_one_to_one():
    assert match_sets([{1, 2, 3, 4}], [{3, 4, 5, 6, 7}]) == []  # 2 of 5: below half of the larger
    pairs = match_sets([{1, 2, 3}, {1, 2}], [{1, 2, 3}])
    assert [(p, g) for p, g, _ in pairs] == [(0, 0)]  # the better prediction takes the one gold quote


def test_right_span_wrong_speaker_is_found_but_not_attributed():
    art = _article()
    c, forms, _ = score_article(art, [_quote(art, "Er")], {})
    assert c["tp"] == 1 and forms["Indirect"]["found"] == 1
    assert forms["Indirect"]["spk_ok"] == 0 and forms["Indirect"]["attr"] == 0 and c["attr_tp"] == 0


def test_right_span_right_speaker_is_attributed():
    art = _article()
    c, forms, _ = score_article(art, [_quote(art, "Merkel")], {})
    assert forms["Indirect"]["attr"] == 1 and c["attr_tp"] == 1 and c["di_attr_tp"] == 1


def test_speaker_through_the_actors_mentions():
    art = _article()
    at = art.text.index("Merkel")
    actors = {"A1": {"id": "A1", "mentions": [{"text": "Merkel", "start": at, "end": at + 6}]}}
    q = _quote(art, "Er", actor="A1")
    assert attributed_ok(art, q, art.gold[0], actors)


def test_gold_without_source_wants_no_speaker():
    art = _article(source=())
    assert attributed_ok(art, _quote(art, None), art.gold[0], {})
    assert not attributed_ok(art, _quote(art, "Er"), art.gold[0], {})


def test_table_reports_attributed_f1_next_to_found_f1():
    art = _article()
    c, forms, _ = score_article(art, [_quote(art, "Er")], {})
    lines = table({"counts": c, "forms": forms, "articles": 1})
    assert lines[0].endswith("| speaker accuracy | attributed F1 |")
    di = next(line for line in lines if line.startswith("| **Direct+Indirect**"))
    cells = [x.strip() for x in di.split("|")[1:-1]]
    assert cells[5] == "**1.000**" and cells[7] == "**0.000**"  # found F1 1, attributed F1 0
