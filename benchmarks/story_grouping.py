"""Stories benchmark: what grouping events into stories adds to indexing an extraction.

A synthetic tenant (no pipeline): `--articles` articles of 8 events each, over a year, drawn
from a pool of actors, places and PLOVER types, so that the candidate lookup finds many events
of the same type and actors nearby (the work grouping does). Every article is indexed as a
stored extraction is (lagebild_core.events.index_events) on SQLite, once with stories and once
with the regrouping switched off; the difference is the cost of stories. Also the size of the
largest story.

    .venv/bin/python benchmarks/story_grouping.py [--articles 2000] [--write docs/benchmarks.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.common import write_section  # noqa: E402

TYPES = ("CONSULT", "ASSAULT", "ACCUSE", "AID", "SANCTION", "REQUEST")


def documents(count: int, seed: int = 17) -> list[tuple[str, str, dict]]:
    """(article id, published_at, document) for `count` synthetic articles."""
    rng = random.Random(seed)
    persons = [f"person:p{i}" for i in range(150)] + [f"state:S{i:02d}" for i in range(40)]
    places = [f"location:l{i}" for i in range(30)]
    start = dt.date(2024, 1, 1)
    found = []
    for number in range(count):
        published = start + dt.timedelta(days=rng.randrange(366))
        actors, events = [], []
        for e in range(8):
            who = rng.sample(persons[:20] if rng.random() < 0.5 else persons, rng.choice((1, 2, 2, 3)))
            for i, global_id in enumerate(who):
                actors.append({"id": f"A{e}{i}", "global_id": global_id, "name": global_id})
            place = rng.choice(places) if rng.random() < 0.5 else None
            if place:
                actors.append({"id": f"L{e}", "global_id": place, "name": place})
            day = published - dt.timedelta(days=rng.randrange(4))
            span = {"text": "x", "start": 0, "end": 1}
            events.append({"id": f"E{e + 1}", "type": rng.choice(TYPES), "mode": None, "trigger": span,
                           "evidence": span, "mentions": [span], "source": [f"A{e}0"],
                           "target": [f"A{e}{i}" for i in range(1, len(who))],
                           "location": {"text": place, "actor": f"L{e}"} if place else None,
                           "time": {"text": "x", "value": day.isoformat(), "granularity": "day"}
                           if rng.random() < 0.6 else None, "modality": "asserted", "confidence": 0.5})
        found.append((f"a{number:05d}", published.isoformat(), {"published_at": published.isoformat(),
                                                                 "actors": actors, "events": events}))
    return found


def run(items, with_stories: bool) -> tuple[float, int]:
    """Index every article; return seconds per article, the largest story's report count and
    the size of every neighbourhood regrouped."""
    from sqlalchemy import func, select

    from lagebild_core import events, stories, story_rule
    from lagebild_core.store import Database
    from lagebild_core.store.models import Article
    from lagebild_core.store.stories import Story

    real, real_partition = stories.regroup, story_rule.partition
    sizes: list[int] = []

    def measured_partition(reports):
        sizes.append(len(reports))
        return real_partition(reports)

    def without_stories(session, tenant, *, writes=(), **kwargs):
        for write in writes:  # the event rows are written by the regroup: here without a story
            write(session, {})

    if not with_stories:
        stories.regroup = without_stories
    story_rule.partition = measured_partition
    try:
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite:///{folder}/bench.sqlite3")
            database.upgrade()
            began = time.perf_counter()
            for article_id, published, document in items:
                with database.transaction() as session:
                    session.add(Article(id=article_id, tenant="t", text="-", text_sha256="-", status="succeeded",
                                        published_at=dt.date.fromisoformat(published)))
                    session.flush()
                    events.index_events(session, "t", article_id, 1, document)
            seconds = (time.perf_counter() - began) / len(items)
            with database.transaction() as session:
                largest = session.scalar(select(func.max(Story.report_count))) or 0
            database.engine.dispose()
    finally:
        stories.regroup, story_rule.partition = real, real_partition
    return seconds, largest, sizes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--write", default=None, help="update the stories section of this Markdown file")
    args = parser.parse_args(argv)
    items = documents(args.articles)
    without, _, _ = run(items, with_stories=False)
    with_, largest, sizes = run(items, with_stories=True)
    load = os.getloadavg()[0]
    section = "\n".join([
        "## Stories: the cost of grouping",
        "",
        f"Measured {dt.date.today().isoformat()} with `.venv/bin/python benchmarks/story_grouping.py --articles "
        f"{args.articles}` (SQLite, 2 cores, load average {load:.1f}): synthetic articles of 8 events each over a "
        "year, actors drawn from a pool of 190, half of the events among 20 frequent ones; each article indexed in "
        "its own transaction, as a stored extraction is.",
        "",
        "| indexing | ms per article | largest story (reports) | events regrouped per article: mean / max |",
        "|---|---:|---:|---:|",
        f"| without stories | {without * 1000:.1f} | – | – |",
        f"| with stories | {with_ * 1000:.1f} | {largest} | {sum(sizes) / max(len(sizes), 1):.1f} / {max(sizes)} |",
    ])
    print(section)
    if args.write:
        write_section(Path(args.write), "stories", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
