"""Stories measured on written article pairs (evaluation/annotations/stories/written.json).

Twelve scenarios of four short reports each, written for this evaluation: a and b report the
same happening (other wording, other time expressions, sometimes without a date or a place);
c and d report happenings of the same type between the same actors on another day or at
another place. Pairs: (a, b) should be one story, (a, c) and (a, d) should not.

Each pair goes through what the service does: the pipeline extracts both articles, the actor
registry links their actors (lagebild_core.actors) and the event index groups their events
into stories (lagebild_core.events / lagebild_core.stories), in a tenant of its own in a
throwaway SQLite database. "Same story" is predicted when one story of the scenario's event
type holds a report from each article. Precision and recall of "same story" over the pairs,
per split (the split was fixed before the first run).

Usage (from the repository root):
    .venv/bin/python -m evaluation.stories [--model NAME] [--show] [--write docs/quality.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.common import write_section  # noqa: E402

WRITTEN = ROOT / "evaluation" / "annotations" / "stories" / "written.json"
PAIRS = (("a", "b", True), ("a", "c", False), ("a", "d", False))


def predict_same(database, tenant: str, scenario: dict, documents: dict[str, dict], first: str, second: str) -> bool:
    """Store the two extractions in `tenant` as the service would; True when a story of the
    scenario's type holds a report of each."""
    from sqlalchemy import select

    from lagebild_core import actors, events
    from lagebild_core.store.events import EventRecord
    from lagebild_core.store.models import Article

    ids = {key: f"{tenant}-{key}" for key in (first, second)}
    with database.transaction() as session:
        for key in (first, second):
            report = scenario[key]
            session.add(Article(id=ids[key], tenant=tenant, text=report["text"], text_sha256="-", status="succeeded",
                                published_at=dt.date.fromisoformat(report["published_at"])))
            session.flush()
            linked = actors.link_actors(session, tenant, ids[key], 1, documents[key])
            events.index_events(session, tenant, ids[key], 1, linked)
        rows = session.execute(select(EventRecord.story_id, EventRecord.article_id).where(
            EventRecord.tenant == tenant, EventRecord.type == scenario["type"])).all()
    articles_of: dict[str, set[str]] = {}
    for story, article in rows:
        articles_of.setdefault(story, set()).add(article)
    return any(len(found) == 2 for found in articles_of.values())


def _reported(document: dict, type_: str) -> bool:
    """True when the extraction has an event of this type with a source or target: without one
    a report cannot join a story, whatever the rule."""
    return any(e["type"] == type_ and (e["source"] or e["target"]) for e in document["events"])


def describe(documents: dict[str, dict], key: str, type_: str) -> str:
    """The article's events of the scenario's type, for --show."""
    document = documents[key]
    names = {a["id"]: a["name"] for a in document["actors"]}
    parts = []
    for e in document["events"]:
        if e["type"] != type_:
            continue
        place = names.get((e.get("location") or {}).get("actor"))
        parts.append(f"{e['id']} {[names[a] for a in e['source']]}->{[names[a] for a in e['target']]} "
                     f"at {place} time {(e.get('time') or {}).get('value')}")
    return "; ".join(parts) or f"no {type_} event"


def evaluate(pipeline, scenarios: list[dict], show: bool = False) -> dict:
    from lagebild_core.store import Database

    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "fn_extraction": 0}
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{folder}/stories.sqlite3")
        database.upgrade()
        for scenario in scenarios:
            documents = {key: pipeline.extract(scenario[key]["text"], dt.date.fromisoformat(
                scenario[key]["published_at"])) for key in "abcd"}
            for first, second, same in PAIRS:
                predicted = predict_same(database, f"s{scenario['id']}{first}{second}", scenario, documents,
                                         first, second)
                counts[{(True, True): "tp", (False, True): "fp", (True, False): "fn",
                        (False, False): "tn"}[(same, predicted)]] += 1
                if same and not predicted and not all(_reported(documents[k], scenario["type"]) for k in (first, second)):
                    counts["fn_extraction"] += 1
                if show and predicted != same:
                    print(f"{'missed' if same else 'merged'}: scenario {scenario['id']} ({scenario['what']}) "
                          f"{first}/{second}\n  {first}: {describe(documents, first, scenario['type'])}\n"
                          f"  {second}: {describe(documents, second, scenario['type'])}")
        database.engine.dispose()
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {**counts, "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None}


def _figure(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def report(totals: dict[str, dict], model: str, seconds: float, command: str) -> str:
    lines = [
        f"## Stories (issue 17: written pairs, model {model})",
        "",
        "Twelve scenarios written for this evaluation (evaluation/annotations/stories/written.json), four short "
        "reports each: a and b the same happening in other words (other time expressions, some without a date or "
        "a place), c and d the same type between the same actors on another day or at another place. Each pair "
        "(a/b same; a/c and a/d different) goes through the pipeline, the actor registry and the event index "
        "into stories, as in the service; \"same story\" is predicted when one story of the scenario's type holds "
        "a report of each article. The split was fixed before the first run.",
        "",
        "| split | pairs (same / different) | TP | FP | FN | TN | precision | recall | FN without an event* |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t in totals.items():
        same, different = t["tp"] + t["fn"], t["fp"] + t["tn"]
        lines.append(f"| {name} | {same + different} ({same} / {different}) | {t['tp']} | {t['fp']} | {t['fn']} | "
                     f"{t['tn']} | {_figure(t['precision'])} | {_figure(t['recall'])} | {t['fn_extraction']} |")
    lines += ["", "\\* missed pairs where an article has no event of the scenario's type with a source or target: "
              "the extraction, not the grouping rule, lost them.", "", f"Command: `{command}` ({seconds:.0f} s)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=None, help="spaCy model (default: the shipped one, else blank)")
    parser.add_argument("--show", action="store_true", help="print the wrong pairs of the development half")
    parser.add_argument("--write", default=None, help="update the stories section of this Markdown file")
    args = parser.parse_args(argv)
    from workers.pipeline import load
    pipeline = load(args.model)
    scenarios = json.loads(WRITTEN.read_text(encoding="utf-8"))["scenarios"]
    began = time.time()
    splits = {split: [s for s in scenarios if s["split"] == split] for split in ("development", "held-out")}
    # errors are shown for the development half only: held-out pairs are not looked at
    totals = {name: evaluate(pipeline, group, show=args.show and name == "development")
              for name, group in splits.items()}
    command = "python -m evaluation.stories" + (f" --model {args.model}" if args.model else "") + \
        (f" --write {args.write}" if args.write else "")
    section = report(totals, pipeline.model, time.time() - began, command)
    print(section)
    if args.write:
        write_section(Path(args.write), "stories", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
