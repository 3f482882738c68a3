"""What the quote passes produce and read: `Candidate` (one quote a pass found, in token offsets)
and `Accepted` (the candidates of the earlier passes plus the running pass's own).

Each pass is a function `(ctx, prior) -> list[Candidate]`: it reads the candidates the passes
before it accepted (`prior`, never changed) and returns its own; `core.extract_quotes` runs the
passes in order and turns all candidates into schema records in one step.
"""
from __future__ import annotations

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
    order it added them). A pass adds only to its own `Accepted`; the driver collects `new`."""

    def __init__(self, prior: tuple[Candidate, ...]):
        self.prior = prior
        self.new: list[Candidate] = []

    def add(self, candidate: Candidate | None) -> Candidate | None:
        """Add a candidate (None adds nothing) and return it."""
        if candidate is not None:
            self.new.append(candidate)
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
        for c in self.all:
            a, b = c.toks
            overlap = min(b, te) - max(a, ts)
            if overlap > 0 and overlap * 2 >= min(b - a, te - ts):
                return True
        return False

    def cue_used(self, i: int) -> bool:
        """Return True when token i is the cue of a candidate already."""
        return any(c.cue is not None and c.cue[0] == i for c in self.all)

    def in_sentence(self, n: int) -> bool:
        """Return True when a candidate lies in sentence n."""
        return any(c.sent == n for c in self.all)
