"""Benchmark of the queries across articles: /v1/quotes, /v1/events?actor=, /v1/actors/{id}/relations
over the index rows of 10,000 articles, on PostgreSQL (a private database on the local server)
and on SQLite, through the Flask app in this process (the test client: routing, auth, rate
limit, the query and JSON; no network or gunicorn).

    .venv/bin/python benchmarks/across_queries.py [--articles 10000] [--requests 200] [--backend both] [--write]

The rows are written directly (no pipeline): per article ~10 events with 1-2 sources and mostly
a target, ~10 quotes with a speaker, some with an addressee, over a registry of 60 states, 3,000
persons and 500 organisations per tenant drawn Zipf-like (the most frequent person is in ~4% of
the articles, like a head of state in world news); a second tenant has a tenth as many. Writes
the section between <!-- across:start --> and <!-- across:end --> of docs/benchmarks.md with --write.
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

from sqlalchemy import insert, text  # noqa: E402

from benchmarks.service_throughput import machine, percentile  # noqa: E402
from evaluation.common import write_section  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
STATES = ["RUS", "UKR", "USA", "CHN", "DEU", "FRA", "GBR", "ISR", "IRN", "TUR"] + [f"S{n:02d}" for n in range(50)]
SENTENCE = ("Der Minister traf am Dienstag in der Hauptstadt seinen Amtskollegen zu Gesprächen über die "
            "militärische Zusammenarbeit beider Länder.")


def _zipf(rng: random.Random, items: list[str], exponent: float = 1.0) -> str:
    weights = getattr(_zipf, "cache", {}).get((id(items), exponent))
    if weights is None:
        weights = [1 / (rank + 1) ** exponent for rank in range(len(items))]
        _zipf.cache = {**getattr(_zipf, "cache", {}), (id(items), exponent): weights}
    return rng.choices(items, weights)[0]


def generate(database, tenant: str, articles: int, seed: int, first_seq: int) -> dict:
    """Write `articles` articles' index rows for `tenant`; return the ids worth querying.

    Each article is a small schema-v1 document (actors with global ids, events, quotes); its
    quote and relation rows come from the functions that index stored versions, its event rows
    are written like lagebild_core.events.index_events writes them."""
    from lagebild_core.quotes import quote_rows
    from lagebild_core.relations import relation_rows
    from lagebild_core.store.events import EventParticipant, EventRecord
    from lagebild_core.store.models import Article
    from lagebild_core.store.quotes import QuoteRecord
    from lagebild_core.store.registry import RegistryActor
    from lagebild_core.store.relations import KEY, RelationCount, RelationRecord
    from lagebild_core.store.stories import Story

    rng = random.Random(seed)
    persons = [f"person:person-{n:04d}" for n in range(3000)]
    orgs = [f"org:org-{n:03d}" for n in range(500)]
    states = [f"state:{code}" for code in STATES]
    names = {p: f"Vorname{p[-4:]} Nachname{p[-4:]}" for p in persons} | {o: f"Organisation {o[-3:]}" for o in orgs} \
        | {s: f"Staat {s[-3:]}" for s in states}
    now = dt.datetime.now(dt.timezone.utc)
    registry = [{"id": key, "tenant": tenant, "kind": key.split(":")[0].replace("org", "organization"),
                 "name": name, "names": [name], "roles": [], "country": None, "search": f"|{name.lower()}|",
                 "created_at": now, "updated_at": now} for key, name in names.items()]
    rows = {"articles": [], "events": [], "participants": [], "quotes": [], "relations": [], "stories": []}
    seq = first_seq
    start = dt.date(2023, 1, 1)
    for number in range(articles):
        article_id = f"{tenant[:4]}{number:028d}"
        published = start + dt.timedelta(days=number * 700 // articles)
        rows["articles"].append({"id": article_id, "tenant": tenant, "text": "x", "text_sha256": "x", "language": "de",
                                 "meta": {}, "status": "succeeded", "latest_version": 1, "published_at": published,
                                 "created_at": now, "updated_at": now})
        cast = list(dict.fromkeys([_zipf(rng, persons, 1.1) for _ in range(5)] + [_zipf(rng, states, 1.2)
                                  for _ in range(4)] + [_zipf(rng, orgs) for _ in range(2)]))
        local = {gid: f"A{n + 1}" for n, gid in enumerate(cast)}
        speakers = [gid for gid in cast if not gid.startswith("state:")]
        document = {"published_at": published.isoformat(), "events": [], "quotes": [],
                    "actors": [{"id": local[gid], "global_id": gid, "name": names[gid]} for gid in cast]}
        for event_number in range(1, rng.randint(6, 14)):
            sources = rng.sample(cast, rng.choice((1, 1, 1, 2)))
            targets = [a for a in rng.sample(cast, 1) if a not in sources] if rng.random() < 0.75 else []
            day = published - dt.timedelta(days=rng.randint(0, 3)) if rng.random() < 0.5 else None
            event = {"id": f"E{event_number}", "type": rng.choice(TYPES), "mode": None,
                     "trigger": {"text": "traf", "start": 12, "end": 16},
                     "evidence": {"text": SENTENCE, "start": 0, "end": len(SENTENCE)},
                     "source": [local[a] for a in sources], "target": [local[a] for a in targets], "location": None,
                     "time": day and {"text": "am Dienstag", "value": day.isoformat(), "granularity": "day"},
                     "modality": "asserted", "confidence": 0.8}
            document["events"].append(event)
            seq += 1
            rows["events"].append({
                "seq": seq, "article_id": article_id, "tenant": tenant, "version": 1, "event_id": event["id"],
                "type": event["type"], "mode": None, "modality": "asserted", "time_value": day and day.isoformat(),
                "time_granularity": day and "day", "time_start": day, "time_end": day, "published_at": published,
                "event": event})
            for role, actors in (("source", sources), ("target", targets)):
                rows["participants"] += [{"event_seq": seq, "role": role, "actor_id": local[a], "global_id": a,
                                          "name": names[a], "country": None} for a in actors]
            # a story per event: more stories than grouping would leave, so a worst case for the lists
            story_id = f"{tenant[:2]}{seq:030d}"
            rows["events"][-1]["story_id"] = story_id
            rows["stories"].append({
                "id": story_id, "tenant": tenant, "type": event["type"], "mode": None,
                "time_value": day and day.isoformat(), "time_granularity": day and "day", "time_start": day,
                "time_end": day, "place_id": None, "place_name": None,
                "participants": [{"global_id": a, "name": names[a], "country": None} for a in sources + targets],
                "first_report": published, "last_report": published, "report_count": 1, "article_count": 1,
                "search": "|" + "|".join(names[a].lower() for a in sources + targets) + "|" + SENTENCE.lower() + "|",
                "updated_at": now})
        for quote_number in range(1, rng.randint(6, 14)):
            speaker = rng.choice(speakers) if rng.random() < 0.85 else None
            addressee = rng.choice([a for a in cast if a != speaker]) if rng.random() < 0.15 else None
            words = f"Wir werden die Zusammenarbeit mit unseren Partnern {rng.randint(0, 999)} weiter ausbauen"
            document["quotes"].append({
                "id": f"Q{quote_number}", "kind": rng.choice(("direct", "indirect", "mixed")), "text": words,
                "start": 0, "end": len(words), "cue": {"text": "sagte", "start": 0, "end": 5},
                "speaker": speaker and {"actor": local[speaker], "text": names[speaker].split()[-1], "start": 0,
                                        "end": 5},
                "addressee": addressee and local[addressee]})
        rows["quotes"] += quote_rows(tenant, article_id, 1, document)
        rows["relations"] += relation_rows(tenant, article_id, 1, document)
    counts: dict[tuple, int] = {}
    for row in rows["relations"]:  # what index_relations adds up, article by article
        key = tuple(row[c] for c in KEY)
        counts[key] = counts.get(key, 0) + 1
    rows["counts"] = [dict(zip(KEY, key), count=number) for key, number in counts.items()]
    with database.transaction() as session:
        for model, name in ((RegistryActor, None), (Article, "articles"), (EventRecord, "events"),
                            (EventParticipant, "participants"), (QuoteRecord, "quotes"),
                            (RelationRecord, "relations"), (RelationCount, "counts"), (Story, "stories")):
            values = registry if name is None else rows[name]
            for begin in range(0, len(values), 20_000):
                session.execute(insert(model), values[begin:begin + 20_000])
    counted: dict[str, int] = {}
    for row in rows["quotes"]:
        counted[row["speaker_global_id"]] = counted.get(row["speaker_global_id"], 0) + 1
    ranked = sorted((p for p in counted if p and p.startswith("person:")), key=lambda p: -counted[p])
    return {"seq": seq, "frequent": ranked[0], "rare": ranked[len(ranked) * 3 // 4], "story": rows["stories"][-1]["id"],
            "sizes": {name: len(value) for name, value in rows.items()}}


def measure(client, url: str, requests: int, headers: dict | None = None) -> tuple[float, float]:
    """Return (p50, p99) in milliseconds of `requests` GETs after 10 unmeasured ones."""
    for _ in range(10):
        assert client.get(url, headers=headers).status_code == 200, url
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url, headers=headers)
        response.get_data()
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return percentile(times, 0.5), percentile(times, 0.99)


def run(backend: str, articles: int, requests: int, keep: str | None = None) -> list[tuple[str, float, float]]:
    from lagebild_core import keys
    from lagebild_core.settings import Settings
    from service.app import create_app
    from tests.support.live import private_postgres_database

    with tempfile.TemporaryDirectory() as folder:
        databases = private_postgres_database("lagebild_bench") if backend == "postgresql" and not keep else None
        url = keep or (next(databases) if databases else f"sqlite:///{folder}/bench.sqlite3")
        try:
            app = create_app(Settings(data_dir=folder, database_url=url, rate_limit_read="1000000/minute",
                                      log_level="WARNING"))
            database = app.extensions["lagebild_db"]
            database.upgrade()
            began = time.perf_counter()
            main = generate(database, "bench", articles, 1, 0)
            generate(database, "other", articles // 10, 2, main["seq"] + 1)
            # the statistics and (PostgreSQL) the visibility map that autovacuum keeps after inserts
            with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))
            print(f"{backend}: {main['sizes']} rows written in {time.perf_counter() - began:.0f} s", flush=True)
            with database.transaction() as session:
                key = keys.create_key(session, "bench", "read")[1]
            client = app.test_client()
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
            frequent, rare = main["frequent"], main["rare"]
            cases = [
                ("GET /v1/quotes", "/v1/quotes", None),
                ("GET /v1/quotes?actor= (the most quoted person)", f"/v1/quotes?actor={frequent}", None),
                ("GET /v1/quotes?actor= (a rarely quoted person)", f"/v1/quotes?actor={rare}", None),
                ("GET /v1/quotes?speaker= (name search)", f"/v1/quotes?speaker=nachname{rare[-4:]}", None),
                ("GET /v1/quotes?q= (text search)", "/v1/quotes?q=partnern%20999", None),
                ("GET /v1/events?actor= (the most frequent person)", f"/v1/events?actor={frequent}", None),
                ("GET /v1/events?actor= (a rare person)", f"/v1/events?actor={rare}", None),
                ("GET /v1/events?actor=state:RUS", "/v1/events?actor=state:RUS", None),
                ("GET /v1/actors/{id}/relations (the most frequent person)", f"/v1/actors/{frequent}/relations", None),
                ("GET /v1/actors/{id}/relations (a rare person)", f"/v1/actors/{rare}/relations", None),
                ("GET /v1/actors/state:RUS/relations (the most frequent state)", "/v1/actors/state:RUS/relations", None),
                ("GET /v1/stories", "/v1/stories", None),
                ("GET /v1/stories?actor= (the most frequent person)", f"/v1/stories?actor={frequent}", None),
                ("GET /v1/stories?actor=state:RUS", "/v1/stories?actor=state:RUS", None),
                ("GET /v1/stories?q= (text search)", f"/v1/stories?q=nachname{rare[-4:]}", None),
                ("GET /v1/stories/{id}", f"/v1/stories/{main['story']}", None),
                ("GET /v1/quotes?actor= as CSV (every quote of the most quoted person)",
                 f"/v1/quotes?actor={frequent}", {"Accept": "text/csv"}),
            ]
            results = []
            load = os.getloadavg()[0]
            for label, path, headers in cases:
                p50, p99 = measure(client, path, requests if headers is None else max(20, requests // 10), headers)
                results.append((label, p50, p99))
                print(f"  {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
            database.engine.dispose()
            return results, main["sizes"], (load + os.getloadavg()[0]) / 2
        finally:
            if databases:
                next(databases, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--write", action="store_true", help="write the section of docs/benchmarks.md")
    parser.add_argument("--keep", metavar="URL", help="an empty database to fill and keep (to EXPLAIN the queries)")
    args = parser.parse_args()
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    measured = {backend: run(backend, args.articles, args.requests, args.keep) for backend in backends}
    if not args.write:
        return
    sizes = next(iter(measured.values()))[1]
    loads = ", ".join(f"{backend} {load:.1f}" for backend, (_, _, load) in measured.items())
    lines = [
        "## Queries across articles (issue 17)", "",
        f"`.venv/bin/python benchmarks/across_queries.py --articles {args.articles} --requests {args.requests} "
        f"--backend {args.backend} --write`, {dt.date.today().isoformat()}, on {machine()}.", "",
        f"Index rows of {args.articles:,} articles of one tenant written directly (no pipeline): "
        f"{sizes['events']:,} events with {sizes['participants']:,} participants, {sizes['quotes']:,} quotes, "
        f"{sizes['relations']:,} relation rows, "
        "3,560 registry actors (Zipf-like: a few states and persons in many articles); a second tenant with a "
        "tenth as many; `VACUUM ANALYZE` (SQLite: `ANALYZE`) after loading, as autovacuum does after inserts. Each line: "
        f"{args.requests} requests after 10 unmeasured ones (CSV: a tenth as many) through the Flask app in one "
        "process (routing, API key, rate limit, query, JSON; no network), first page of 20. The machine is "
        f"shared: 1-minute load average while measuring {loads} (on 2 cores), so the p99 column carries "
        "other processes' noise.", "",
        "| request | " + " | ".join(f"{b} p50 / p99 (ms)" for b in measured) + " |",
        "|---|" + "---|" * len(measured),
    ]
    labels = [label for label, _, _ in next(iter(measured.values()))[0]]
    for number, label in enumerate(labels):
        cells = [f"{results[number][1]:.1f} / {results[number][2]:.1f}" for results, _, _ in measured.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    write_section(DOCS, "across", "\n".join(lines))


if __name__ == "__main__":
    main()
