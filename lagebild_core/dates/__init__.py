"""German time expressions: found in text, normalised against the article's publication date.

`find_time_expressions(text)` returns every time expression with its character span and its
parsed parts (`TimeExpression`); `normalise(expr, anchor, tense, reference)` turns one into the
schema-v1 event time `{"text", "value", "granularity"}`. Both are pure functions over plain
strings (a spaCy `Span`/`Doc` works too: its text is searched and offsets are the Doc's), so
nothing here needs the model. The patterns and word lists live in lexicons/dates/; `bounds(time)`
gives the first and last day of a normalised time.

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
from lagebild_core.dates.finding import find_time_expressions
from lagebild_core.dates.normalising import normalise, resolve_times
from lagebild_core.dates.values import (
    GRANULARITY_RANK, Tense, TimeExpression, TimeValue, bounds, period_bounds,
)

__all__ = ["GRANULARITY_RANK", "Tense", "TimeExpression", "TimeValue", "bounds", "find_time_expressions",
           "normalise", "period_bounds", "resolve_times"]
