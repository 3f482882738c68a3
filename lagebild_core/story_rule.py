"""The same-happening rule, the pure part: when two indexed events report one happening, and
how a set of events is cut into stories.

Two reports are *compatible* when all of these hold:

- they come from different articles (the extraction already made one event of each happening
  an article mentions, so two events of one article are two happenings);
- the same PLOVER type;
- their participants agree: the global ids of their sources and targets (places left out) are
  both non-empty and one set contains the other ("Belousov" and "Belousov, Zhang" agree;
  "Belousov, Zhang" and "Belousov, Dong Jun" do not);
- their places agree: the same global id, a place and the state it lies in ("location:peking"
  in CHN and "state:CHN"), or at least one of them gives none;
- their time windows overlap. The window is the event's own time (first to last day of its
  value) when it spans at most MAX_WINDOW_DAYS; an event without a time is taken to have
  happened in the UNDATED_DAYS before its article's publication. An event whose time is
  vaguer than a month ("2024", "im Sommer"), or that has neither a time nor a publication
  date, has no window and stays a story of its own.

A story is a set of pairwise compatible reports (complete linkage: no chaining from A to C
through B when A and C disagree). `partition` builds them by merging in a fixed order: every
compatible pair, the most alike first (`affinity`), ties by the reports' canonical order, and
two stories merge only when every report of one is compatible with every report of the other.
The result depends only on the set of reports, never on the order in which they arrived.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property

MAX_WINDOW_DAYS = 31   # a month: coarser times do not pin a happening down
UNDATED_DAYS = 7       # an undated event: the week up to its article's publication
PLACE_KINDS = ("location",)  # registry ids "location:…" name places, not participants


@dataclass(frozen=True)
class Report:
    """One indexed event as the rule sees it. `key` is its row (events.seq)."""

    key: int
    article_id: str
    event_id: str
    published_at: dt.date | None
    type: str
    actors: frozenset[str]
    place: str | None = None
    place_country: str | None = None  # ISO alpha-3 of the place, when known
    time_start: dt.date | None = None
    time_end: dt.date | None = None

    @property
    def order(self) -> tuple:
        """The canonical order: publication date (undated last), article id, event number."""
        return (self.published_at or dt.date.max, self.article_id, len(self.event_id), self.event_id)

    @cached_property
    def window(self) -> tuple[dt.date, dt.date] | None:
        return window(self.time_start, self.time_end, self.published_at)


def window(time_start: dt.date | None, time_end: dt.date | None,
           published_at: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The days a report may refer to (see the module's rule), or None when it pins down none."""
    if time_start is not None and time_end is not None:
        return (time_start, time_end) if (time_end - time_start).days < MAX_WINDOW_DAYS else None
    if published_at is not None:
        return published_at - dt.timedelta(days=UNDATED_DAYS), published_at
    return None


def is_place(global_id: str | None) -> bool:
    return bool(global_id) and global_id.split(":", 1)[0] in PLACE_KINDS


def compatible(a: Report, b: Report) -> bool:
    """True when `a` and `b` may report the same happening (the rule of the module docstring)."""
    if a.article_id == b.article_id or a.type != b.type or not a.actors or not b.actors:
        return False
    if not (a.actors <= b.actors or b.actors <= a.actors):
        return False
    if not places_agree(a, b):
        return False
    wa, wb = a.window, b.window
    return wa is not None and wb is not None and wa[0] <= wb[1] and wb[0] <= wa[1]


def places_agree(a: Report, b: Report) -> bool:
    """The same place, a place and its state, or at least one report names none."""
    if not a.place or not b.place or a.place == b.place:
        return True
    return b.place == f"state:{a.place_country}" or a.place == f"state:{b.place_country}"


def affinity(a: Report, b: Report) -> tuple[int, int, int]:
    """How alike two compatible reports are, larger first: shared participants, the same
    place named by both, the same explicit time named by both."""
    same_place = int(bool(a.place) and a.place == b.place)
    same_time = int(a.time_start is not None and (a.time_start, a.time_end) == (b.time_start, b.time_end))
    return len(a.actors & b.actors), same_place, same_time


def partition(reports: list[Report]) -> list[list[Report]]:
    """Cut `reports` into stories (lists in canonical order), ordered by their first report."""
    ordered = sorted(reports, key=lambda r: r.order)
    pairs = compatible_pairs(ordered)
    pairs.sort(key=lambda p: (tuple(-x for x in affinity(*p)), p[0].order, p[1].order))
    story_of = {r.key: [r] for r in ordered}
    for a, b in pairs:
        first, second = story_of[a.key], story_of[b.key]
        if first is second or not all(compatible(x, y) for x in first for y in second):
            continue
        first.extend(second)
        first.sort(key=lambda r: r.order)
        for r in second:
            story_of[r.key] = first
    unique = {id(s): s for s in story_of.values()}
    return sorted(unique.values(), key=lambda s: s[0].order)


def compatible_pairs(reports: list[Report]) -> list[tuple[Report, Report]]:
    """Every compatible pair (earlier report first in canonical order), found by sweeping the
    windows in order of their first day instead of comparing all pairs."""
    dated = sorted((r for r in reports if r.window is not None), key=lambda r: (r.window[0], r.order))
    pairs = []
    for i, a in enumerate(dated):
        for b in dated[i + 1:]:
            if b.window[0] > a.window[1]:
                break
            if compatible(a, b):
                pairs.append((a, b) if a.order < b.order else (b, a))
    return pairs


def story_id(tenant: str, members: list[Report]) -> str:
    """The story's id: a hash of its tenant and its first report in canonical order. It stays
    the same while that report belongs to the story; it changes when an earlier report joins or
    the first one leaves."""
    first = min(members, key=lambda r: r.order)
    digest = hashlib.sha256(f"{tenant}\x1f{first.article_id}\x1f{first.event_id}".encode()).hexdigest()
    return "s" + digest[:24]

