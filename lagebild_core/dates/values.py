"""The values of the dates package: what a time expression says, a normalised time, and the
calendar arithmetic over ISO 8601 / TimeML TIMEX3 values (days, ISO weeks, months, seasons,
years)."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal, Mapping

GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}
SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
Tense = Literal["past", "future", "present"]


@dataclass(frozen=True)
class TimeExpression:
    """One time expression: its span in the text and what its words say.

    `relative_to` is None for a fully specified date, else "anchor" (counts from the
    publication date) or "reference" (counts from the narrated event's time). `unit`/`offset`
    shift the period the other fields name ("nächste Woche": week +1; "Mai vergangenen
    Jahres": month 5 in year -1). `step` picks the previous (-1), current (0) or next (+1)
    occurrence of a weekday, month or season ("vergangenen Dienstag"). `cue` is a preposition
    just before the span ("seit", "bis"), lower-cased.
    """

    text: str
    start: int
    end: int
    pattern: str
    relative_to: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    week: int | None = None
    weekday: int | None = None
    weekend: bool = False
    season: str | None = None
    part: str | None = None
    unit: str | None = None
    offset: int | None = None
    step: int | None = None
    cue: str | None = None


@dataclass(frozen=True)
class TimeValue:
    """A normalised time, e.g. an event's time used as `reference` for "tags darauf"."""

    value: str
    granularity: str


def shift(day: dt.date, unit: str, amount: int) -> dt.date:
    """Return `day` moved by `amount` days, weeks, months or years (day clamped to the month)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=amount * (7 if unit == "week" else 1))
    months = day.year * 12 + day.month - 1 + amount * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def period_value(day: dt.date, unit: str) -> str:
    """Return the value of the day, ISO week, month or year that contains `day`."""
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        iso_year, week, _ = day.isocalendar()
        return week_value(iso_year, week)
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def week_value(iso_year: int, week: int) -> str:
    """Return the value of an ISO week ("2024-W43")."""
    return f"{iso_year:04d}-W{week:02d}"


def weeks_in(iso_year: int) -> int:
    """Return the number of ISO weeks of a year (52 or 53)."""
    return dt.date(iso_year, 12, 28).isocalendar()[1]


def period_bounds(value: str, granularity: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the period a value names.

    Raises ValueError (or KeyError for an unknown season) when the value is not one of its
    granularity.
    """
    if granularity == "day":
        day = dt.date.fromisoformat(value)
        return day, day
    if granularity == "week":
        year, week = value.split("-W")
        first = dt.date.fromisocalendar(int(year), int(week), 1)
        return first, first + dt.timedelta(days=6)
    if granularity == "month":
        first = dt.date.fromisoformat(value + "-01")
        return first, shift(first, "month", 1) - dt.timedelta(days=1)
    if granularity == "season":
        year, season = value.split("-")
        first = dt.date(int(year), SEASON_START_MONTH[season], 1)
        return first, shift(first, "month", 3) - dt.timedelta(days=1)
    return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)


def bounds(time: Mapping | None) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day of a schema-v1 time {"value", "granularity", …}, or None
    when it has no value or the value is not one of its granularity."""
    if not time or not time.get("value") or not time.get("granularity"):
        return None
    try:
        return period_bounds(time["value"], time["granularity"])
    except (ValueError, KeyError):
        return None
