"""Finding time expressions: the patterns of lexicons/dates/ run over a text, overlaps resolved,
each match's words parsed into a `TimeExpression`."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from lagebild_core.dates.patterns import Pattern, lookup, patterns
from lagebild_core.dates.values import TimeExpression, weeks_in


def find_time_expressions(text) -> list[TimeExpression]:
    """Return the time expressions in `text` (a str, or a spaCy Span/Doc), ordered by start.

    Overlapping matches are resolved in favour of the longest (then the earliest pattern);
    offsets index the given string, or the Doc for a Span.
    """
    string = text if isinstance(text, str) else text.text
    shift = 0 if isinstance(text, str) else getattr(text, "start_char", 0)
    candidates = []
    for order, pattern in enumerate(patterns()):
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


def _build(pattern: Pattern, match: re.Match[str], text: str) -> TimeExpression | None:
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
    if word and word.group(1).lower() in lookup("cues"):
        return word.group(1).lower()
    return None


def _parse_groups(groups: dict[str, str], fields: dict) -> dict:
    """Return `fields` (the pattern's fixed ones) completed from a match's named groups."""
    for key, raw in groups.items():
        word = raw.lower()
        if key in ("day", "week"):
            fields[key] = int(raw)
        elif key == "month":
            fields["month"] = int(raw) if raw.isdigit() else int(lookup("months")[word]["month"])
        elif key == "year":
            fields["year"] = _full_year(raw)
        elif key == "season":
            fields["season"] = lookup("seasons")[word]["season"]
        elif key == "weekday":
            row = lookup("weekdays")[word]
            fields["weekday"], fields["weekend"] = int(row["weekday"]), row["kind"] == "weekend"
        elif key == "part":
            fields["part"] = lookup("parts")[word]["part"]
        elif key == "count":
            fields["count"] = int(raw) if raw.isdigit() else int(lookup("numbers")[word]["value"])
        elif key == "dir":
            fields["sign"] = int(lookup("directions")[word]["sign"])
        elif key == "unit":
            fields["unit"] = lookup("units")[word]["unit"]
        elif key == "relday":
            fields["unit"], fields["offset"] = "day", int(lookup("relative_days")[word]["offset"])
        elif key == "shifted":
            row = lookup("shifted_units")[word]
            fields["unit"], fields["offset"] = row["unit"], int(row["offset"])
            fields["relative_to"] = "reference"
    _apply_modifiers(groups, fields)
    return fields


def _apply_modifiers(groups: dict[str, str], fields: dict) -> None:
    """Fold "vergangene"/"nächste"/… into the fields: a unit shift, or an occurrence step."""
    for key, unit in (("weekmod", "week"), ("yearmod", "year"), ("mod", None)):
        if key not in groups:
            continue
        row = lookup("modifiers")[groups[key].lower()]
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
    if week is not None and not 1 <= week <= weeks_in(year or 2020):
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
