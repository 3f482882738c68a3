"""The actors of one article while they are being found: a `Cluster` per actor, and the
`ClusterSet` of a document that the steps add mentions to (core.Builder runs the steps; attach,
unnamed and countries read and extend the clusters). Kept apart from core so that those helpers
and core do not import each other."""
from __future__ import annotations

from dataclasses import dataclass, field

from workers.pipeline.actors.roles import RolePhrase
from workers.pipeline.document import DocumentView


@dataclass
class Cluster:
    """One actor under construction: token spans of its mentions, roles and country evidence."""

    kind: str
    key: object
    name: str
    country: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)
    role_keys: set[str] = field(default_factory=set)
    countries: list[str] = field(default_factory=list)
    named: bool = True  # False for a source named by what it is ("eine Armeesprecherin"): unnamed.py


class ClusterSet:
    """The clusters of one `Doc` under construction, the tokens they took and each token's
    sentence: what the steps (core.Builder, attach, unnamed, countries) read and extend."""

    def __init__(self, view: DocumentView):
        doc = self.doc = view.doc
        self.use_pos = doc.has_annotation("POS")
        self.clusters: dict[object, Cluster] = {}
        self.taken: set[int] = set()
        self.sent_of = self._sentence_numbers(view)
        self.predicates: list[RolePhrase] = []

    def _sentence_numbers(self, view: DocumentView) -> list[int]:
        """Return the sentence number of every token; whitespace between two sentences counts
        to the one before."""
        numbers, current = [0] * len(self.doc), 0
        for i in range(len(self.doc)):
            n = view.sentence_of(i)
            current = current if n is None else n
            numbers[i] = current
        return numbers

    def cluster(self, kind: str, key: object, name: str, country: str | None = None) -> Cluster:
        """Return the cluster for `key`, creating it."""
        if key not in self.clusters:
            self.clusters[key] = Cluster(kind, key, name, country)
        return self.clusters[key]

    def add(self, cluster: Cluster, start: int, end: int) -> None:
        """Add tokens [start, end) as a mention of `cluster` and mark them taken."""
        if end <= start or self.doc[start:end].text.strip() == "":
            return
        cluster.spans.append((start, end))
        self.taken.update(range(start, end))

    def persons(self) -> list[Cluster]:
        """The person clusters that have a mention."""
        return [c for c in self.clusters.values() if c.kind == "person" and c.spans]
