"""German time expressions: finding them and normalising them against a fixed anchor.

The anchor 2024-10-16 is a Wednesday in ISO week 42.
"""
import datetime as dt

import pytest

from lagebild_core.dates import TimeValue, find_time_expressions, normalise, resolve_times

ANCHOR = dt.date(2024, 10, 16)


def only(text):
    """Return the single time expression in `text` (fails if there is not exactly one)."""
    found = find_time_expressions(text)
    assert len(found) == 1, [e.text for e in found]
    return found[0]


def value(text, anchor=ANCHOR, tense=None, reference=None):
    """Return (span text, value, granularity) of the single expression in `text`."""
    result = normalise(only(text), anchor, tense, reference)
    return result["text"], result["value"], result["granularity"]


@pytest.mark.parametrize("text, tense, expected", [
    # weekdays: the one before the anchor in the past, after it in the future
    ("Er traf ihn am Dienstag in Berlin.", "past", ("am Dienstag", "2024-10-15", "day")),
    ("Er trifft ihn am Dienstag in Berlin.", "future", ("am Dienstag", "2024-10-22", "day")),
    ("Dienstag sagte er", "past", ("Dienstag", "2024-10-15", "day")),
    ("am Donnerstag", "past", ("am Donnerstag", "2024-10-10", "day")),
    ("am Donnerstag", "future", ("am Donnerstag", "2024-10-17", "day")),
    ("am Donnerstag", None, ("am Donnerstag", "2024-10-17", "day")),
    ("am Montag", None, ("am Montag", "2024-10-14", "day")),
    # the anchor's own weekday is the anchor day (news style: "am Mittwoch" for today)
    ("am Mittwoch", "past", ("am Mittwoch", "2024-10-16", "day")),
    ("am Mittwoch", "future", ("am Mittwoch", "2024-10-16", "day")),
    ("Am Dienstagabend", "past", ("Am Dienstagabend", "2024-10-15", "day")),
    ("am Sonntag Nachmittag", "past", ("am Sonntag Nachmittag", "2024-10-13", "day")),
    ("am Sonnabend", "past", ("am Sonnabend", "2024-10-12", "day")),
    ("am vergangenen Mittwoch", None, ("am vergangenen Mittwoch", "2024-10-09", "day")),
    ("am kommenden Mittwoch", None, ("am kommenden Mittwoch", "2024-10-23", "day")),
    ("nächsten Freitag", "past", ("nächsten Freitag", "2024-10-18", "day")),
    ("Dienstag vergangener Woche", None, ("Dienstag vergangener Woche", "2024-10-08", "day")),
    ("am Freitag nächster Woche", None, ("am Freitag nächster Woche", "2024-10-25", "day")),
    ("am Wochenende", "past", ("am Wochenende", "2024-W41", "week")),
    ("am Wochenende", "future", ("am Wochenende", "2024-W42", "week")),
    ("vergangenes Wochenende", None, ("vergangenes Wochenende", "2024-W41", "week")),
    # days relative to the anchor
    ("gestern", None, ("gestern", "2024-10-15", "day")),
    ("Gestern Abend", None, ("Gestern Abend", "2024-10-15", "day")),
    ("vorgestern", "past", ("vorgestern", "2024-10-14", "day")),
    ("morgen", "future", ("morgen", "2024-10-17", "day")),
    ("übermorgen", None, ("übermorgen", "2024-10-18", "day")),
    ("heute", None, ("heute", "2024-10-16", "day")),
    ("heute Morgen", None, ("heute Morgen", "2024-10-16", "day")),
    ("Morgen will er reisen.", "future", ("Morgen", "2024-10-17", "day")),
    # weeks
    ("nächste Woche", "future", ("nächste Woche", "2024-W43", "week")),
    ("in der kommenden Woche", None, ("in der kommenden Woche", "2024-W43", "week")),
    ("in dieser Woche", None, ("in dieser Woche", "2024-W42", "week")),
    ("diese Woche", None, ("diese Woche", "2024-W42", "week")),
    ("vergangene Woche", "past", ("vergangene Woche", "2024-W41", "week")),
    ("in der vergangenen Woche", None, ("in der vergangenen Woche", "2024-W41", "week")),
    ("letzte Woche", None, ("letzte Woche", "2024-W41", "week")),
    ("Ende der Woche", None, ("Ende der Woche", "2024-W42", "week")),
    ("vor einer Woche", None, ("vor einer Woche", "2024-W41", "week")),
    ("vor zwei Wochen", None, ("vor zwei Wochen", "2024-W40", "week")),
    ("in zwei Wochen", "future", ("in zwei Wochen", "2024-W44", "week")),
    ("in der KW 43", None, ("in der KW 43", "2024-W43", "week")),
    ("Kalenderwoche 2/2025", None, ("Kalenderwoche 2/2025", "2025-W02", "week")),
    # months
    ("im vergangenen Monat", None, ("im vergangenen Monat", "2024-09", "month")),
    ("letzten Monat", None, ("letzten Monat", "2024-09", "month")),
    ("im nächsten Monat", None, ("im nächsten Monat", "2024-11", "month")),
    ("Anfang dieses Monats", None, ("Anfang dieses Monats", "2024-10", "month")),
    ("Mitte dieses Monats", None, ("Mitte dieses Monats", "2024-10", "month")),
    ("Ende dieses Monats", "future", ("Ende dieses Monats", "2024-10", "month")),
    ("Ende des Monats", None, ("Ende des Monats", "2024-10", "month")),
    ("vor drei Monaten", None, ("vor drei Monaten", "2024-07", "month")),
    ("im Mai", "past", ("im Mai", "2024-05", "month")),
    ("im Mai", "future", ("im Mai", "2025-05", "month")),
    ("im Mai", None, ("im Mai", "2024-05", "month")),
    ("im Januar", None, ("im Januar", "2025-01", "month")),
    ("im Jänner", "past", ("im Jänner", "2024-01", "month")),
    ("im Oktober", "future", ("im Oktober", "2024-10", "month")),
    ("im Oktober", "past", ("im Oktober", "2024-10", "month")),
    ("im vergangenen Oktober", None, ("im vergangenen Oktober", "2023-10", "month")),
    ("im kommenden März", None, ("im kommenden März", "2025-03", "month")),
    ("Ende Mai", "past", ("Ende Mai", "2024-05", "month")),
    ("Mitte November", "future", ("Mitte November", "2024-11", "month")),
    ("im Februar 2022", None, ("im Februar 2022", "2022-02", "month")),
    ("Oktober 2024", None, ("Oktober 2024", "2024-10", "month")),
    ("Ende Oktober 2023", None, ("Ende Oktober 2023", "2023-10", "month")),
    ("im Februar vergangenen Jahres", None, ("im Februar vergangenen Jahres", "2023-02", "month")),
    ("im Mai dieses Jahres", None, ("im Mai dieses Jahres", "2024-05", "month")),
    ("Anfang Dezember des kommenden Jahres", None,
     ("Anfang Dezember des kommenden Jahres", "2025-12", "month")),
    # seasons
    ("im Sommer", "past", ("im Sommer", "2024-SU", "season")),
    ("im Sommer", "future", ("im Sommer", "2025-SU", "season")),
    ("im Herbst", None, ("im Herbst", "2024-FA", "season")),
    ("im Frühjahr", "future", ("im Frühjahr", "2025-SP", "season")),
    ("im Frühling", "past", ("im Frühling", "2024-SP", "season")),
    ("im Winter", "past", ("im Winter", "2023-WI", "season")),
    ("im Winter", "future", ("im Winter", "2024-WI", "season")),
    ("im vergangenen Sommer", None, ("im vergangenen Sommer", "2024-SU", "season")),
    ("im Frühjahr 2022", None, ("im Frühjahr 2022", "2022-SP", "season")),
    ("im Winter 2022/23", None, ("im Winter 2022/23", "2022-WI", "season")),
    ("im Herbst vergangenen Jahres", None, ("im Herbst vergangenen Jahres", "2023-FA", "season")),
    # years
    ("im vergangenen Jahr", "past", ("im vergangenen Jahr", "2023", "year")),
    ("letztes Jahr", None, ("letztes Jahr", "2023", "year")),
    ("nächstes Jahr", None, ("nächstes Jahr", "2025", "year")),
    ("im kommenden Jahr", None, ("im kommenden Jahr", "2025", "year")),
    ("in diesem Jahr", None, ("in diesem Jahr", "2024", "year")),
    ("Ende vergangenen Jahres", None, ("Ende vergangenen Jahres", "2023", "year")),
    ("Anfang des Jahres", None, ("Anfang des Jahres", "2024", "year")),
    ("vor zwei Jahren", None, ("vor zwei Jahren", "2022", "year")),
    ("vor genau einem Jahr", None, ("vor genau einem Jahr", "2023", "year")),
    ("2023 begann die Offensive", None, ("2023", "2023", "year")),
    ("seit 2014", None, ("2014", "2014", "year")),
    ("im Jahr 2023", None, ("im Jahr 2023", "2023", "year")),
    ("im Jahre 1990", None, ("im Jahre 1990", "1990", "year")),
    ("Anfang 2023", None, ("Anfang 2023", "2023", "year")),
    ("Ende 2025", None, ("Ende 2025", "2025", "year")),
    # dates
    ("am 16. Oktober", None, ("am 16. Oktober", "2024-10-16", "day")),
    ("am 20. Oktober", "past", ("am 20. Oktober", "2023-10-20", "day")),
    ("am 20. Oktober", "future", ("am 20. Oktober", "2024-10-20", "day")),
    ("am 20. Oktober", None, ("am 20. Oktober", "2024-10-20", "day")),
    ("am 3. Januar", None, ("am 3. Januar", "2025-01-03", "day")),
    ("am 3. Jänner", "past", ("am 3. Jänner", "2024-01-03", "day")),
    ("16.10.2024", None, ("16.10.2024", "2024-10-16", "day")),
    ("am 1.9.2023", None, ("am 1.9.2023", "2023-09-01", "day")),
    ("am 16.10.24", None, ("am 16.10.24", "2024-10-16", "day")),
    ("am 24.2. begann", "past", ("am 24.2.", "2024-02-24", "day")),
    ("16. Oktober 2024", None, ("16. Oktober 2024", "2024-10-16", "day")),
    ("am 5. Okt. 2023", None, ("am 5. Okt. 2023", "2023-10-05", "day")),
    ("am 24. Februar 2022", None, ("am 24. Februar 2022", "2022-02-24", "day")),
    ("2024-10-16", None, ("2024-10-16", "2024-10-16", "day")),
    ("am Dienstag, 15. Oktober", None, ("am Dienstag, 15. Oktober", "2024-10-15", "day")),
    ("am Montag, den 14.10.", None, ("am Montag, den 14.10.", "2024-10-14", "day")),
])
def test_normalise_against_anchor(text, tense, expected):
    assert value(text, tense=tense) == expected


@pytest.mark.parametrize("text, reference, expected", [
    ("einen Tag zuvor", {"value": "2024-10-10", "granularity": "day"}, "2024-10-09"),
    ("am Tag davor", TimeValue("2024-10-10", "day"), "2024-10-09"),
    ("tags darauf", TimeValue("2024-10-10", "day"), "2024-10-11"),
    ("Tags zuvor", TimeValue("2024-03-01", "day"), "2024-02-29"),
    ("am Tag danach", TimeValue("2024-12-31", "day"), "2025-01-01"),
    ("am nächsten Tag", TimeValue("2024-10-10", "day"), "2024-10-11"),
    ("am selben Tag", TimeValue("2024-10-10", "day"), "2024-10-10"),
    ("am Vortag", TimeValue("2024-01-01", "day"), "2023-12-31"),
    ("zwei Tage später", TimeValue("2024-10-10", "day"), "2024-10-12"),
    ("eine Woche später", TimeValue("2024-10-10", "day"), "2024-W42"),
    ("ein Jahr zuvor", TimeValue("2022-02", "month"), "2021"),
    ("im Vorjahr", TimeValue("2022", "year"), "2021"),
    ("in der folgenden Woche", TimeValue("2024-W52", "week"), "2025-W01"),
])
def test_relative_to_reference(text, reference, expected):
    assert value(text, reference=reference)[1] == expected


@pytest.mark.parametrize("text, expected", [
    ("einen Tag zuvor", "2024-10-15"),
    ("tags darauf", "2024-10-17"),
    ("am Vortag", "2024-10-15"),
    ("im Vorjahr", "2023"),
])
def test_reference_falls_back_to_anchor(text, expected):
    assert value(text)[1] == expected


def test_day_before_a_month_has_no_value():
    assert value("einen Tag zuvor", reference=TimeValue("2024-10", "month"))[1:] == (None, None)


@pytest.mark.parametrize("anchor, text, tense, expected", [
    (dt.date(2025, 1, 2), "am Dienstag", "past", "2024-12-31"),
    (dt.date(2025, 1, 2), "gestern", None, "2025-01-01"),
    (dt.date(2025, 1, 1), "gestern", None, "2024-12-31"),
    (dt.date(2024, 12, 30), "am Freitag", "future", "2025-01-03"),
    (dt.date(2024, 12, 30), "in dieser Woche", None, "2025-W01"),
    (dt.date(2024, 12, 23), "nächste Woche", None, "2025-W01"),
    (dt.date(2021, 1, 4), "vergangene Woche", None, "2020-W53"),
    (dt.date(2025, 1, 10), "im vergangenen Monat", None, "2024-12"),
    (dt.date(2024, 12, 10), "im nächsten Monat", None, "2025-01"),
    (dt.date(2025, 1, 10), "im Dezember", "past", "2024-12"),
    (dt.date(2024, 12, 10), "im Januar", "future", "2025-01"),
    (dt.date(2025, 1, 10), "am 30. Dezember", "past", "2024-12-30"),
    (dt.date(2024, 12, 28), "am 2. Januar", "future", "2025-01-02"),
    (dt.date(2025, 1, 10), "im Winter", None, "2024-WI"),
    (dt.date(2024, 12, 5), "im Winter", "past", "2024-WI"),
    (dt.date(2025, 1, 10), "letztes Jahr", None, "2024"),
    (dt.date(2024, 3, 31), "vor einem Monat", None, "2024-02"),
    (dt.date(2025, 3, 1), "am 29. Februar", "past", "2024-02-29"),
])
def test_year_boundaries(anchor, text, tense, expected):
    assert value(text, anchor=anchor, tense=tense)[1] == expected


@pytest.mark.parametrize("text, expected", [
    ("16.10.2024", ("2024-10-16", "day")),
    ("am 24. Februar 2022", ("2022-02-24", "day")),
    ("im Februar 2022", ("2022-02", "month")),
    ("im Sommer 2023", ("2023-SU", "season")),
    ("Anfang 2023", ("2023", "year")),
    ("KW 43/2024", ("2024-W43", "week")),
    ("am Dienstag", (None, None)),
    ("gestern", (None, None)),
    ("im Mai", (None, None)),
    ("am 16. Oktober", (None, None)),
    ("nächste Woche", (None, None)),
    ("einen Tag zuvor", (None, None)),
])
def test_without_anchor_only_absolute_dates(text, expected):
    assert value(text, anchor=None)[1:] == expected


def test_text_is_kept_without_anchor():
    assert normalise(only("am Dienstag"), None) == {"text": "am Dienstag", "value": None, "granularity": None}


@pytest.mark.parametrize("text", [
    "Das sagte er der Welt am Sonntag.",
    "Am Morgen fielen Schüsse.",
    "Bis zum Abend blieb es ruhig.",
    "rund 2000 Soldaten",
    "2000 Soldaten wurden verlegt.",
    "Resolution 2231 des Sicherheitsrats",
    "August Bebel war Sozialdemokrat.",
    "Im Mai-Interview",
    "in den vergangenen Wochen",
    "seit Jahren",
    "am letzten Tag des Gipfels",
    "am 31.02.",
    "Er wohnt in Berlin.",
    "Kosten von 3.2024 Euro",
])
def test_no_false_time_expressions(text):
    assert [e.text for e in find_time_expressions(text)] == []


def test_offsets_index_the_text():
    text = "Putin traf Xi am Dienstag in Moskau; tags darauf reiste er ab. Seit Februar 2022 herrscht Krieg."
    found = find_time_expressions(text)
    assert [e.text for e in found] == ["am Dienstag", "tags darauf", "Februar 2022"]
    assert all(text[e.start:e.end] == e.text for e in found)


def test_cue_outside_span_and_seit_implies_past():
    expr = only("seit Februar")
    assert (expr.text, expr.cue) == ("Februar", "seit")
    assert normalise(expr, ANCHOR)["value"] == "2024-02"


def test_parsed_structure():
    expr = only("Ende Oktober vergangenen Jahres")
    assert (expr.month, expr.part, expr.unit, expr.offset, expr.relative_to) == (10, "late", "year", -1, "anchor")
    assert only("16. Oktober 2024").relative_to is None
    assert only("einen Tag zuvor").relative_to == "reference"
    assert only("am vergangenen Dienstag").step == -1


def test_anchor_as_iso_string():
    assert normalise(only("gestern"), "2024-10-16T09:00:00Z")["value"] == "2024-10-15"


def test_resolve_times_adds_offsets():
    assert resolve_times("Er kam gestern.", ANCHOR) == [
        {"text": "gestern", "value": "2024-10-15", "granularity": "day", "start": 7, "end": 14}]


class FakeSpan:
    """Stands in for a spaCy Span: a text and where it starts in its Doc."""

    def __init__(self, text, start_char):
        self.text, self.start_char = text, start_char


def test_span_offsets_are_doc_offsets():
    [expr] = find_time_expressions(FakeSpan("Er kam gestern.", 100))
    assert (expr.start, expr.end) == (107, 114)
