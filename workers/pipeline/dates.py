"""German time expressions: found in text, normalised against the article's publication date.

`find_time_expressions(text)` returns every time expression with its character span and its
parsed parts (`TimeExpression`); `normalise(expr, anchor, tense, reference)` turns one into the
schema-v1 event time `{"text", "value", "granularity"}`. Both are pure functions over plain
strings (a spaCy `Span`/`Doc` works too: its text is searched and offsets are the Doc's), so
nothing here needs the model. The patterns and word lists live in lexicons/dates/.

Values follow ISO 8601 / TimeML TIMEX3:
  day "2024-10-15" · week "2024-W43" (ISO week) · month "2024-10" · year "2024" ·
  season "2024-SP" | "2024-SU" | "2024-FA" | "2024-WI" (meteorological seasons: SP Mar–May,
  SU Jun–Aug, FA Sep–Nov, WI Dec–Feb; a winter carries the year of its December, so the
  winter 2023/24 is "2023-WI").
A weekday, month, season or day-month without a year is the nearest one consistent with the
tense: the latest that has begun by the anchor in the past, the earliest not yet over in the
future; so a weekday that is the anchor's own weekday is the anchor day (news style: an article
of Wednesday says "am Mittwoch" for today), "im Oktober" in October is this October.
"Anfang/Mitte/Ende" keep the granularity of the period they qualify ("Ende Oktober" is
"2024-10"); the part is kept in `TimeExpression.part`. "am Wochenende" is the ISO week of
that weekend. A relative expression without an anchor normalises to value null.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal, Mapping

LEXICON_DIR = Path(__file__).with_name("lexicons") / "dates"
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


# --- word lists and patterns ---------------------------------------------------------------

@lru_cache(maxsize=None)
def _rows(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of lexicons/dates/<name>.tsv as dicts keyed by its header."""
    lines = [line for line in (LEXICON_DIR / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return tuple(dict(zip(header, line.split("\t"))) for line in lines[1:])


@lru_cache(maxsize=None)
def _lookup(name: str) -> dict[str, dict[str, str]]:
    """Return the rows of a word list keyed by their lower-cased form."""
    return {row["form"].lower(): row for row in _rows(name)}


def _alternation(spec: str) -> str:
    """Return a regex alternation of the forms in a word list; spec is "name[:col=value]".

    Longest forms first (so "Jänner" is not cut short); lower-case forms also capitalised.
    """
    name, _, condition = spec.partition(":")
    column, _, wanted = condition.partition("=")
    forms: set[str] = set()
    for row in _rows(name):
        if not condition or row.get(column) == wanted:
            forms.add(row["form"])
            forms.add(row["form"][:1].upper() + row["form"][1:])
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))) + ")"


def _expand(template: str, defines: dict[str, str]) -> str:
    """Replace {NAME} by a @define and {list} / {list:col=value} by a word-list alternation."""
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in defines:
            return _expand(defines[key], defines)
        return _alternation(key)
    return re.sub(r"\{([A-Za-z_]+(?::\w+=\w+)?)\}", replace, template)


@dataclass(frozen=True)
class _Pattern:
    name: str
    relative_to: str
    fixed: dict
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> tuple[_Pattern, ...]:
    """Return the compiled patterns of lexicons/dates/patterns.tsv, in file order.

    No match may start inside a word or end inside a hyphenated compound ("Mai-Interview").
    """
    defines: dict[str, str] = {}
    patterns = []
    for line in (LEXICON_DIR / "patterns.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@define\t"):
            _, key, body = line.split("\t", 2)
            defines[key] = body
            continue
        name, relative_to, fixed, template = line.split("\t", 3)
        fixed_values = dict(item.split("=") for item in fixed.split(",")) if fixed != "-" else {}
        regex = re.compile(r"(?<!\w)" + _expand(template, defines) + r"(?!-\w)")
        patterns.append(_Pattern(name, relative_to, fixed_values, regex))
    return tuple(patterns)


# --- finding ------------------------------------------------------------------------------

def find_time_expressions(text) -> list[TimeExpression]:
    """Return the time expressions in `text` (a str, or a spaCy Span/Doc), ordered by start.

    Overlapping matches are resolved in favour of the longest (then the earliest pattern);
    offsets index the given string, or the Doc for a Span.
    """
    string = text if isinstance(text, str) else text.text
    shift = 0 if isinstance(text, str) else getattr(text, "start_char", 0)
    candidates = []
    for order, pattern in enumerate(_patterns()):
        for match in pattern.regex.finditer(string):
            expr = _build(pattern, match, string)
            if expr is not None:
                candidates.append((-(expr.end - expr.start), order, expr))
    chosen: list[TimeExpression] = []
    for _, _, expr in sorted(candidates, key=lambda c: (c[0], c[1], c[2].start)):
        if all(expr.end <= other.start or expr.start >= other.end for other in chosen):
            chosen.append(expr)
    chosen.sort(key=lambda e: e.start)
    if shift:
        chosen = [_shifted(e, shift) for e in chosen]
    return chosen


def _shifted(expr: TimeExpression, shift: int) -> TimeExpression:
    return replace(expr, start=expr.start + shift, end=expr.end + shift)


def _build(pattern: _Pattern, match: re.Match[str], text: str) -> TimeExpression | None:
    """Return the TimeExpression a match describes, or None if its words do not make a date."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    start, end = match.span("t") if "t" in groups else match.span()
    if "relday" in groups and not _lower_or_sentence_start(groups["relday"], text, match.start("relday")):
        return None  # "am Morgen" is a time of day, not "tomorrow"
    fields = _parse_groups(groups, dict(pattern.fixed))
    if "dir" in groups and fields.get("offset") is None:
        fields["offset"] = fields.pop("count", 1) * fields.pop("sign")
    fields.pop("count", None)
    fields.pop("sign", None)
    if "unit" in fields and fields.get("offset") is None:
        fields["offset"] = 0  # "Ende der Woche": the current one
    if not _plausible(fields):
        return None
    relative_to = fields.pop("relative_to", None) or pattern.relative_to
    if fields.get("year") is not None and fields.get("offset") is None:
        relative_to = None
    return TimeExpression(text=text[start:end], start=start, end=end, pattern=pattern.name,
                          relative_to=relative_to, cue=_cue_before(text, start), **fields)


def _cue_before(text: str, start: int) -> str | None:
    """Return the preposition from cues.tsv that directly precedes `start`, lower-cased."""
    word = re.search(r"(\w+)\s+$", text[max(0, start - 12):start])
    if word and word.group(1).lower() in _lookup("cues"):
        return word.group(1).lower()
    return None


def _parse_groups(groups: dict[str, str], fields: dict) -> dict:
    """Return `fields` (the pattern's fixed ones) completed from a match's named groups."""
    for key, raw in groups.items():
        word = raw.lower()
        if key in ("day", "week"):
            fields[key] = int(raw)
        elif key == "month":
            fields["month"] = int(raw) if raw.isdigit() else int(_lookup("months")[word]["month"])
        elif key == "year":
            fields["year"] = _full_year(raw)
        elif key == "season":
            fields["season"] = _lookup("seasons")[word]["season"]
        elif key == "weekday":
            row = _lookup("weekdays")[word]
            fields["weekday"], fields["weekend"] = int(row["weekday"]), row["kind"] == "weekend"
        elif key == "part":
            fields["part"] = _lookup("parts")[word]["part"]
        elif key == "count":
            fields["count"] = int(raw) if raw.isdigit() else int(_lookup("numbers")[word]["value"])
        elif key == "dir":
            fields["sign"] = int(_lookup("directions")[word]["sign"])
        elif key == "unit":
            fields["unit"] = _lookup("units")[word]["unit"]
        elif key == "relday":
            fields["unit"], fields["offset"] = "day", int(_lookup("relative_days")[word]["offset"])
        elif key == "shifted":
            row = _lookup("shifted_units")[word]
            fields["unit"], fields["offset"] = row["unit"], int(row["offset"])
            fields["relative_to"] = "reference"
    _apply_modifiers(groups, fields)
    return fields


def _apply_modifiers(groups: dict[str, str], fields: dict) -> None:
    """Fold "vergangene"/"nächste"/… into the fields: a unit shift, or an occurrence step."""
    for key, unit in (("weekmod", "week"), ("yearmod", "year"), ("mod", None)):
        if key not in groups:
            continue
        row = _lookup("modifiers")[groups[key].lower()]
        if row["relative_to"] == "reference":
            fields["relative_to"] = "reference"
        if unit is not None:
            fields["unit"], fields["offset"] = unit, int(row["offset"])
        elif "unit" in fields and fields.get("offset") is None:
            fields["offset"] = int(row["offset"])
        else:
            fields["step"] = int(row["offset"])


def _full_year(raw: str) -> int:
    """Return a four-digit year; two digits are 20xx below 70, else 19xx ("16.10.24")."""
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _plausible(fields: dict) -> bool:
    """Return False for impossible dates ("31.02.", week 60); February 29 needs a leap year."""
    day, month, year, week = (fields.get(k) for k in ("day", "month", "year", "week"))
    if week is not None and not 1 <= week <= _weeks_in(year or 2020):
        return False
    if day is None or month is None:
        return month is None or 1 <= month <= 12
    try:
        dt.date(year or 2024, month, day)  # 2024 is a leap year: "29. Februar" stays possible
    except ValueError:
        return False
    return True


def _lower_or_sentence_start(word: str, text: str, start: int) -> bool:
    """Return True if `word` is lower case or capitalised only because a sentence starts."""
    if word[:1].islower():
        return True
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;\"„“»«(–-\n"


# --- normalising --------------------------------------------------------------------------

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
        implied = _lookup("cues")[expr.cue]["implied_tense"]
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
        return _week_value(expr.year or base.isocalendar()[0], expr.week), "week"
    if expr.offset is not None and expr.unit is not None:
        if GRANULARITY_RANK[base_granularity] > GRANULARITY_RANK[expr.unit]:
            return None, None  # "einen Tag zuvor" of a whole month: no day to count from
        base = _shift(base, expr.unit, expr.offset)
        if expr.weekday is None and expr.month is None and expr.season is None:
            return _period_value(base, expr.unit), expr.unit
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
            candidates.append((*_bounds(value, granularity), value, granularity))
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
        return _period_value(day, "week"), "week"
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
        return _week_value(year, expr.week), "week"
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


def _shift(day: dt.date, unit: str, amount: int) -> dt.date:
    """Return `day` moved by `amount` days, weeks, months or years (day clamped to the month)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=amount * (7 if unit == "week" else 1))
    months = day.year * 12 + day.month - 1 + amount * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def _period_value(day: dt.date, unit: str) -> str:
    """Return the value of the day, ISO week, month or year that contains `day`."""
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        iso_year, week, _ = day.isocalendar()
        return _week_value(iso_year, week)
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _week_value(iso_year: int, week: int) -> str:
    return f"{iso_year:04d}-W{week:02d}"


def _weeks_in(iso_year: int) -> int:
    return dt.date(iso_year, 12, 28).isocalendar()[1]


def _bounds(value: str, granularity: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the period a value names."""
    if granularity == "day":
        day = dt.date.fromisoformat(value)
        return day, day
    if granularity == "week":
        year, week = value.split("-W")
        first = dt.date.fromisocalendar(int(year), int(week), 1)
        return first, first + dt.timedelta(days=6)
    if granularity == "month":
        first = dt.date.fromisoformat(value + "-01")
        return first, _shift(first, "month", 1) - dt.timedelta(days=1)
    if granularity == "season":
        year, season = value.split("-")
        first = dt.date(int(year), SEASON_START_MONTH[season], 1)
        return first, _shift(first, "month", 3) - dt.timedelta(days=1)
    return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)


def _reference_date(reference: TimeValue) -> tuple[dt.date | None, str]:
    """Return a day that stands for the reference period (a week's Thursday, else its start)."""
    try:
        first, _ = _bounds(reference.value, reference.granularity)
    except (ValueError, KeyError):
        return None, reference.granularity
    if reference.granularity == "week":
        first += dt.timedelta(days=3)  # the Thursday decides an ISO week's year
    return first, reference.granularity
