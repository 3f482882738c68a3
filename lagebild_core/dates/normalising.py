"""Normalising time expressions against the publication date (the anchor), the clause's tense
and the narrated event's time (the reference): schema-v1 times {"text", "value", "granularity"}."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Mapping

from lagebild_core.dates.finding import find_time_expressions
from lagebild_core.dates.patterns import lookup
from lagebild_core.dates.values import (
    GRANULARITY_RANK, Tense, TimeExpression, TimeValue, period_bounds, period_value, shift, week_value,
)


def normalise(expr: TimeExpression, anchor: dt.date | str | None = None, tense: Tense | None = None,
              reference: TimeValue | Mapping | None = None) -> dict:
    """Return the schema-v1 time {"text", "value", "granularity"} of `expr`.

    `anchor` is the publication date; `tense` of the clause picks between the previous and
    the next Tuesday, May, summer, … (None/"present": the nearest, earlier on a tie);
    `reference` is the time of the narrated event, for "einen Tag zuvor", "tags darauf"
    (the anchor when None). Without a tense, a cue may imply one ("seit Februar": past).
    Value and granularity are None when it cannot be resolved.
    """
    if tense is None and expr.cue:
        implied = lookup("cues")[expr.cue]["implied_tense"]
        tense = None if implied == "-" else implied
    value, granularity = _resolve(expr, _as_date(anchor), tense, _as_time_value(reference))
    return {"text": expr.text, "value": value, "granularity": granularity if value else None}


def resolve_times(text, anchor: dt.date | str | None = None, tense: Tense | None = None,
                  reference: TimeValue | Mapping | None = None) -> list[dict]:
    """Return normalise() of every expression in `text`, each with its "start" and "end"."""
    return [{**normalise(e, anchor, tense, reference), "start": e.start, "end": e.end}
            for e in find_time_expressions(text)]


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dt.date.fromisoformat(str(value)[:10])


def _as_time_value(value: TimeValue | Mapping | None) -> TimeValue | None:
    if value is None or isinstance(value, TimeValue):
        return value
    if not value.get("value") or not value.get("granularity"):
        return None
    return TimeValue(value["value"], value["granularity"])


def _resolve(expr: TimeExpression, anchor: dt.date | None, tense: str | None,
             reference: TimeValue | None) -> tuple[str | None, str | None]:
    """Return (value, granularity) of `expr`, or (None, None)."""
    if expr.relative_to is None:
        return _absolute(expr)
    base, base_granularity = anchor, "day"
    if expr.relative_to == "reference" and reference is not None:
        base, base_granularity = _reference_date(reference)
    if base is None:
        return None, None
    if expr.week is not None:
        return week_value(expr.year or base.isocalendar()[0], expr.week), "week"
    if expr.offset is not None and expr.unit is not None:
        if GRANULARITY_RANK[base_granularity] > GRANULARITY_RANK[expr.unit]:
            return None, None  # "einen Tag zuvor" of a whole month: no day to count from
        base = shift(base, expr.unit, expr.offset)
        if expr.weekday is None and expr.month is None and expr.season is None:
            return period_value(base, expr.unit), expr.unit
    return _occurrence(expr, base, tense)


def _occurrence(expr: TimeExpression, base: dt.date, tense: str | None) -> tuple[str | None, str | None]:
    """Return the weekday, date, month or season `expr` names, chosen around `base` by tense."""
    if expr.unit == "year" and expr.offset is not None:
        return _absolute(_with_year(expr, base.year))  # "im Mai vergangenen Jahres"
    if expr.weekday is not None and expr.day is None:
        return _weekday(expr, base, tense)
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        value, granularity = _absolute(_with_year(expr, year))
        if value is not None:
            candidates.append((*period_bounds(value, granularity), value, granularity))
    # "Dienstag, 15. Oktober": prefer the year in which that date is a Tuesday
    candidates = [c for c in candidates if _weekday_agrees(expr, c[2])] or candidates
    choice = _pick(candidates, base, tense, expr.step)
    return (choice[2], choice[3]) if choice else (None, None)


def _weekday(expr: TimeExpression, base: dt.date, tense: str | None) -> tuple[str | None, str | None]:
    """Return the day (or, for the weekend, the week) of a weekday near `base`."""
    if expr.unit == "week" or expr.step == 0:  # "Dienstag nächster Woche", "diesen Dienstag"
        day = base + dt.timedelta(days=expr.weekday - base.isoweekday())
        return _weekday_value(expr, day)
    candidates = []
    for weeks in (-1, 0, 1):
        day = base + dt.timedelta(days=expr.weekday - base.isoweekday() + 7 * weeks)
        last = day + dt.timedelta(days=1 if expr.weekend else 0)
        candidates.append((day, last, day))
    choice = _pick(candidates, base, tense, expr.step)
    return _weekday_value(expr, choice[2]) if choice else (None, None)


def _weekday_value(expr: TimeExpression, day: dt.date) -> tuple[str, str]:
    if expr.weekend:
        return period_value(day, "week"), "week"
    return day.isoformat(), "day"


def _pick(candidates: list[tuple], base: dt.date, tense: str | None, step: int | None):
    """Return the candidate (first, last, …) that the tense or step selects around `base`.

    step -1/+1: the latest one ending before / the earliest starting after `base`. Past: the
    latest one that has begun by `base`; future: the earliest not yet over. Otherwise the
    one containing `base`, else the nearest (the earlier on a tie).
    """
    if step == -1 or (step is None and tense == "past"):
        fits = [c for c in candidates if (c[1] < base if step == -1 else c[0] <= base)]
        return max(fits, key=lambda c: c[0], default=None)
    if step == 1 or (step is None and tense == "future"):
        fits = [c for c in candidates if (c[0] > base if step == 1 else c[1] >= base)]
        return min(fits, key=lambda c: c[0], default=None)
    def distance(c):
        gap = (c[0] - base).days if c[0] > base else (base - c[1]).days if c[1] < base else 0
        return gap, c[0] > base
    return min(candidates, key=distance, default=None)


def _absolute(expr: TimeExpression) -> tuple[str | None, str | None]:
    """Return (value, granularity) from the calendar fields alone, or (None, None)."""
    year = expr.year
    if year is None:
        return None, None
    if expr.week is not None:
        return week_value(year, expr.week), "week"
    if expr.day is not None and expr.month is not None:
        try:
            return dt.date(year, expr.month, expr.day).isoformat(), "day"
        except ValueError:
            return None, None
    if expr.month is not None:
        return f"{year:04d}-{expr.month:02d}", "month"
    if expr.season is not None:
        return f"{year:04d}-{expr.season}", "season"
    return f"{year:04d}", "year"


def _with_year(expr: TimeExpression, year: int) -> TimeExpression:
    return replace(expr, year=year)


def _weekday_agrees(expr: TimeExpression, value: str) -> bool:
    """Return True unless `expr` names a weekday that the date `value` does not fall on."""
    return expr.weekday is None or len(value) != 10 or dt.date.fromisoformat(value).isoweekday() == expr.weekday


def _reference_date(reference: TimeValue) -> tuple[dt.date | None, str]:
    """Return a day that stands for the reference period (a week's Thursday, else its start)."""
    try:
        first, _ = period_bounds(reference.value, reference.granularity)
    except (ValueError, KeyError):
        return None, reference.granularity
    if reference.granularity == "week":
        first += dt.timedelta(days=3)  # the Thursday decides an ISO week's year
    return first, reference.granularity
