"""What the quote passes produce and read: `Candidate` (one quote a pass found, in token offsets)
and `Accepted` (the candidates of the earlier passes plus the running pass's own).

Each pass is a function `(ctx, prior) -> list[Candidate]`: it reads the candidates the passes
before it accepted (`prior`, never changed) and returns its own; `core.extract_quotes` runs the
passes in order and turns all candidates into schema records in one step.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """A quote one pass found: content in character offsets (`start`, `end`) and tokens (`toks`),
    the speaker record, the cue's token range, the addressee actor, the sentence number and the
    tags that say how it was found ("frame-after", "continuation", …)."""

    kind: str
    start: int
    end: int
    speaker: dict | None
    cue: tuple[int, int] | None
    addressee: str | None = None
    toks: tuple[int, int] = (0, 0)
    sent: int = -1
    tags: frozenset[str] = field(default_factory=frozenset)


class Accepted:
    """The candidates a pass may consult: `prior` (the earlier passes') and `new` (its own, in the
    order it added them). A pass adds only to its own `Accepted` (`add`, `replace_last`: never to
    `new` directly, which `cue_used` would not see); the driver collects `new`."""

    def __init__(self, prior: tuple[Candidate, ...]):
        self.prior = prior
        self.new: list[Candidate] = []
        # the first tokens of the cues (`cue_used`) and the sorted token ranges (`taken`): asked for
        # every token or sentence of an article, a scan of all candidates made long ones quadratic
        self._cues = Counter(c.cue[0] for c in prior if c.cue is not None)
        self._ranges = sorted(c.toks for c in prior)
        self._longest = max((b - a for a, b in self._ranges), default=0)

    def add(self, candidate: Candidate | None) -> Candidate | None:
        """Add a candidate (None adds nothing) and return it."""
        if candidate is not None:
            self.new.append(candidate)
            self._index(candidate, 1)
        return candidate

    def _index(self, candidate: Candidate, count: int) -> None:
        """Count `candidate` in (1) or out of (-1) the cue and range indexes."""
        if candidate.cue is not None:
            self._cues[candidate.cue[0]] += count
        if count > 0:
            insort(self._ranges, candidate.toks)
            self._longest = max(self._longest, candidate.toks[1] - candidate.toks[0])
        else:
            del self._ranges[bisect_left(self._ranges, candidate.toks)]

    def replace_last(self, candidate: Candidate) -> Candidate:
        """Put `candidate` in place of the pass's last one (a quote that goes on) and return it."""
        self._index(self.new[-1], -1)
        self.new[-1] = candidate
        self._index(candidate, 1)
        return candidate

    @property
    def all(self) -> tuple[Candidate, ...]:
        """Return every candidate, earlier passes' first, in the order they were found."""
        return self.prior + tuple(self.new)

    @property
    def last(self) -> Candidate | None:
        """Return the candidate found last, or None."""
        return self.new[-1] if self.new else (self.prior[-1] if self.prior else None)

    def taken(self, ts: int, te: int) -> bool:
        """Return True when tokens [ts, te) overlap a candidate by half of the shorter of the two."""
        # only ranges starting at most the longest range's length before ts can reach into it
        ranges = self._ranges
        k = bisect_left(ranges, (ts - self._longest,))
        while k < len(ranges) and ranges[k][0] < te:
            a, b = ranges[k]
            overlap = min(b, te) - max(a, ts)
            if overlap > 0 and overlap * 2 >= min(b - a, te - ts):
                return True
            k += 1
        return False

    def cue_used(self, i: int) -> bool:
        """Return True when token i is the cue of a candidate already."""
        return self._cues[i] > 0

    def in_sentence(self, n: int) -> bool:
        """Return True when a candidate lies in sentence n."""
        return any(c.sent == n for c in self.all)
