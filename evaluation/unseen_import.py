"""Import the hand annotations of the unseen-news set (issue 12) into
evaluation/annotations/unseen/development.json and heldout.json.

Reads one file per article (`<key>.json`, the format of evaluation/annotations/unseen/README.md)
from a folder outside the repository, checks every record against the article's rebuilt text and
the selection, normalises it and writes the two halves in selection order. Any failed check stops
the import with the list of problems (nothing is written).

Checks: the article belongs to the selection and its `published_at` equals the selection's; quote
offsets lie in the text, `start < end`, and `text[start:].startswith(anchor)`; every quote speaker is
the first name/mention of an annotated person, unnamed actor or organisation, or an annotated state
code; event types are PLOVER, modalities and times well-formed, and every event mention's anchor
occurs in the text and contains its trigger; every unnamed actor's mentions occur in the text.

Normalisation (no article text beyond short anchors is written): the annotators' free-text `notes`
are dropped; quote anchors longer than six words are cut to their first six words (offsets kept);
event anchors longer than six words are cut to the six-word window around the trigger whose first
occurrence in the text gives the same trigger position as the original anchor; roles are
lower-cased, country and state codes upper-cased; a speaker written as another of the entity's
spellings is replaced by its first one; quotes are sorted by offset.

Usage: `python -m evaluation.unseen_import [--gold DIR] [--data ../shared/data] [--check]`
(`--check` validates without writing).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from evaluation.common import DEFAULT_DATA, ROOT

OUT = ROOT / "evaluation" / "annotations" / "unseen"
DEFAULT_GOLD = Path("/work/scratch/unseen/gold")
FILES = {"development": "development.json", "held-out": "heldout.json"}
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
MODALITIES = {"asserted", "planned", "negated", "hypothetical"}
QUOTE_KINDS = {"direct", "indirect", "mixed"}
TIME = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE = re.compile(r"^[A-Z]{3}$")
MAX_WORDS = 6


class AnnotationError(ValueError):
    """The annotations failed a check; the message lists every problem."""


def find_word(text: str, phrase: str) -> int:
    """Return the first offset of `phrase` in `text` not inside a longer word ("Sie" is not found
    in "Sieg"); failing that, the same ignoring case ("Das Parlament" for a sentence-inner "das
    Parlament"), then the first plain occurrence; -1 when there is none."""
    pattern = r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"
    m = re.search(pattern, text) or re.search(pattern, text, re.IGNORECASE)
    return m.start() if m else text.find(phrase)


def cut_quote_anchor(anchor: str) -> str:
    """Return the anchor's first six words (its leading characters, spacing kept)."""
    words = list(re.finditer(r"\S+", anchor))
    return anchor if len(words) <= MAX_WORDS else anchor[:words[MAX_WORDS - 1].end()]


def trigger_span(text: str, anchor: str, trigger: str) -> tuple[int, int] | None:
    """The trigger's span as `evaluation.events.gold_spans` reads it: first occurrence of the anchor."""
    at, offset = text.find(anchor), anchor.find(trigger)
    return None if at < 0 or offset < 0 else (at + offset, at + offset + len(trigger))


def cut_event_anchor(text: str, anchor: str, trigger: str) -> str | None:
    """Return a window of at most six words of `anchor` that contains the trigger and locates it
    at the same place as the whole anchor (None when no window does)."""
    words = list(re.finditer(r"\S+", anchor))
    if len(words) <= MAX_WORDS:
        return anchor
    want = trigger_span(text, anchor, trigger)
    offset = anchor.find(trigger)
    first = next(i for i, w in enumerate(words) if w.end() > offset)
    last = next(i for i, w in enumerate(words) if w.end() >= offset + len(trigger))
    # windows around the trigger, the most centred first
    starts = range(max(0, last - MAX_WORDS + 1), min(first, len(words) - MAX_WORDS) + 1)
    centre = (first + last) / 2 - (MAX_WORDS - 1) / 2
    for s in sorted(starts, key=lambda s: abs(s - centre)):
        piece = anchor[words[s].start():words[s + MAX_WORDS - 1].end()]
        if trigger in piece and trigger_span(text, piece, trigger) == want:
            return piece
    return None


def speaker_forms(record: dict) -> dict[str, str]:
    """Map every spelling of a possible speaker to its canonical (first) spelling or state code."""
    forms: dict[str, str] = {}
    for person in record["persons"]:
        forms.update({n: person["names"][0] for n in person["names"]})
    for org in record["organizations"]:
        forms.update({n: org["names"][0] for n in org["names"]})
    for unnamed in record["unnamed"]:
        forms.update({m: unnamed["mentions"][0] for m in unnamed["mentions"]})
    forms.update({code: code for code in record["states"]})
    return forms


def normalise(raw: dict, article: dict, problems: list[str]) -> dict:
    """Return the checked, normalised record of one article; append every problem found."""
    key, text = raw.get("key"), article["text"]

    def bad(message: str) -> None:
        problems.append(f"{key}: {message}")

    if raw.get("published_at") != article["published_at"]:
        bad(f"published_at {raw.get('published_at')!r} but the selection has {article['published_at']!r}")
    locator = {"id": int(article["id"])} if "id" in article else {"row": int(article["row"])}
    for name, value in locator.items():
        if str(raw.get(name)) != str(value):
            bad(f"{name} {raw.get(name)!r}, expected {value!r}")
    out = {"key": key, "dataset": article["dataset"], **locator, "published_at": article["published_at"]}
    out["persons"] = [{"names": [n.strip() for n in p["names"]], "roles": [r.strip().lower() for r in p["roles"]],
                       "country": p["country"].strip().upper() if p.get("country") else None}
                      for p in raw["persons"]]
    out["unnamed"] = [{"mentions": [m.strip() for m in u["mentions"]], "kind": u["kind"],
                       "roles": [r.strip().lower() for r in u.get("roles") or []],
                       "organization": u.get("organization"),
                       "country": u["country"].strip().upper() if u.get("country") else None}
                      for u in raw["unnamed"]]
    out["organizations"] = [{"names": [n.strip() for n in o["names"]],
                             "country": o["country"].strip().upper() if o.get("country") else None}
                            for o in raw["organizations"]]
    out["states"] = sorted({s.strip().upper() for s in raw["states"]})
    for entity in out["persons"] + out["organizations"] + out["unnamed"]:
        if not (entity.get("names") or entity.get("mentions")):
            bad(f"an entity without names: {entity}")
        if entity["country"] and not CODE.match(entity["country"]):
            bad(f"country {entity['country']!r} is not alpha-3")
    for code in out["states"]:
        if not CODE.match(code):
            bad(f"state {code!r} is not alpha-3")
    for u in out["unnamed"]:
        if u["kind"] not in ("person", "group"):
            bad(f"unnamed kind {u['kind']!r}")
        for mention in u["mentions"]:
            if find_word(text, mention) < 0:
                bad(f"unnamed mention {mention!r} not in the text")
    forms = speaker_forms(out)
    quotes = []
    for i, q in enumerate(raw["quotes"]):
        start, end, anchor = q["start"], q["end"], q["anchor"]
        if q["kind"] not in QUOTE_KINDS:
            bad(f"quote {i}: kind {q['kind']!r}")
        if not (0 <= start < end <= len(text)):
            bad(f"quote {i}: offsets {start}–{end} outside the text ({len(text)} characters)")
        elif not anchor.strip() or not text[start:].startswith(anchor):
            bad(f"quote {i}: the text at {start} does not start with its anchor")
        speaker = q.get("speaker")
        if speaker is not None:
            speaker = speaker.strip()
            if speaker not in forms:
                bad(f"quote {i}: speaker {speaker!r} is no annotated person, unnamed actor, organisation or state")
            speaker = forms.get(speaker, speaker)
        quotes.append({"kind": q["kind"], "start": start, "end": end, "anchor": cut_quote_anchor(anchor),
                       "speaker": speaker})
    out["quotes"] = sorted(quotes, key=lambda q: (q["start"], q["end"]))
    events = []
    for i, e in enumerate(raw["events"]):
        if e["type"] not in PLOVER:
            bad(f"event {i}: type {e['type']!r} is not PLOVER")
        if e["modality"] not in MODALITIES:
            bad(f"event {i}: modality {e['modality']!r}")
        if e.get("time") is not None and not TIME.match(e["time"]):
            bad(f"event {i}: time {e['time']!r} is not YYYY[-MM[-DD]]")
        if not e["mentions"]:
            bad(f"event {i}: no mentions")
        mentions = []
        for anchor, trigger in e["mentions"]:
            if trigger not in anchor:
                bad(f"event {i}: trigger {trigger!r} not inside its anchor")
            elif text.find(anchor) < 0:
                bad(f"event {i}: anchor of trigger {trigger!r} not in the text")
            else:
                short = cut_event_anchor(text, anchor, trigger)
                if short is None:
                    bad(f"event {i}: no six-word window of the anchor locates trigger {trigger!r}")
                mentions.append([short or anchor, trigger])
        events.append({"type": e["type"], "mentions": mentions, "source": list(e.get("source") or []),
                       "target": list(e.get("target") or []), "place": e.get("place"), "time": e.get("time"),
                       "modality": e["modality"]})
    out["events"] = events
    return out


def build(gold: Path, data: Path) -> tuple[dict[str, dict], list[str]]:
    """Return {split: file content} and the keys of selected articles without annotations."""
    from evaluation.unseen_selection import selection

    problems: list[str] = []
    halves = {split: [] for split in FILES}
    missing = []
    for article in selection(data):
        path = gold / f"{article['key']}.json"
        if not path.exists():
            missing.append(article["key"])
            continue
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            problems.append(f"{article['key']}: not valid JSON ({err})")
            continue
        if raw.get("key") != article["key"]:
            problems.append(f"{path.name}: key {raw.get('key')!r}")
            continue
        halves[article["split"]].append(normalise(raw, article, problems))
    known = {p.stem for p in gold.glob("*.json")}
    extra = known - {a["key"] for h in halves.values() for a in h} - set(missing)
    problems += [f"{key}: annotated but not in the selection" for key in sorted(extra)]
    if problems:
        raise AnnotationError("\n".join(problems))
    files = {split: {"split": split, "selection": "evaluation/unseen_selection.py",
                     "format": "evaluation/annotations/unseen/README.md", "articles": articles}
             for split, articles in halves.items()}
    return files, missing


def dump(content: dict) -> str:
    """One article per line block, stable and diffable."""
    head = {k: v for k, v in content.items() if k != "articles"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "articles": [']
    lines.append(",\n".join(json.dumps(a, ensure_ascii=False) for a in content["articles"]))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder of <key>.json annotations")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    try:
        files, missing = build(args.gold, args.data)
    except AnnotationError as err:
        print(f"annotations failed the checks:\n{err}", file=sys.stderr)
        return 1
    for split, content in files.items():
        n = content["articles"]
        print(f"{split}: {len(n)} articles, {sum(len(a['quotes']) for a in n)} quotes, "
              f"{sum(len(a['events']) for a in n)} events, {sum(len(a['persons']) for a in n)} persons")
        if not args.check:
            (OUT / FILES[split]).write_text(dump(content), encoding="utf-8")
    if missing:
        print(f"not yet annotated ({len(missing)}): {', '.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
