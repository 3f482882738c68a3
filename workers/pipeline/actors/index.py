"""ActorIndex: from a character span to the actor one of whose mentions covers it."""
from __future__ import annotations

from bisect import bisect_left
from functools import cached_property


class ActorIndex:
    """Finds the actor that a character span refers to, by the mentions of each actor.

    `actors` is the list of actor records; `_spans` the sorted (start, end, actor id) of every
    mention (the quotes step reads both).
    """

    def __init__(self, actors: list[dict]):
        self.actors = actors
        self._by_id = {a["id"]: a for a in actors}
        self._spans = sorted(
            (m["start"], m["end"], a["id"]) for a in actors for m in a["mentions"]
        )
        self._starts = [span[0] for span in self._spans]
        self._longest = max((end - start for start, end, _ in self._spans), default=0)
        self._by_mention: dict[str, str] = {}
        for actor in actors:  # the first actor with a mention text owns it
            for mention in actor.get("mentions", []):
                self._by_mention.setdefault(mention["text"], actor["id"])

    def actor_at(self, start: int, end: int) -> str | None:
        """Return the id of the actor with a mention overlapping [start, end), or None.

        The mention with the largest overlap wins; on a tie the shorter (more specific) mention.
        """
        best, best_key = None, (0, 0)
        # only mentions starting at most one mention-length before `start` can reach into it
        first = bisect_left(self._starts, start - self._longest)
        for m_start, m_end, actor_id in self._spans[first:]:
            if m_start >= end:
                break
            overlap = min(end, m_end) - max(start, m_start)
            if overlap <= 0:
                continue
            key = (overlap, -(m_end - m_start))
            if key > best_key:
                best, best_key = actor_id, key
        return best

    def mention_owner(self, text: str) -> str | None:
        """Return the id of the first actor that has a mention written exactly `text`, or None."""
        return self._by_mention.get(text)

    @cached_property
    def kinds(self) -> dict[str, str | None]:
        """Return {actor id: kind} (read per event: built once, the records do not change)."""
        return {a["id"]: a.get("kind") for a in self.actors}

    def actor(self, actor_id: str) -> dict | None:
        """Return the actor record with this id, or None."""
        return self._by_id.get(actor_id)

    def actors_of_kind(self, kind: str) -> list[dict]:
        """Return the actor records of one kind ("person", "state", …) in document order."""
        return [a for a in self.actors if a["kind"] == kind]
