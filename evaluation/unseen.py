"""The extractor on unseen news (issue 12): 40 articles annotated from the text alone, reported
separately for the development and the held-out half (never as one figure).

Gold: evaluation/annotations/unseen/development.json and heldout.json (format and split rule in
that folder's README; imported by evaluation/unseen_import.py); the texts are rebuilt by
`evaluation.unseen_selection.selection()` from ../shared/data. Each article goes once through
`workers.pipeline.extractor.load().extract(text, published_at)`.

Figures (per half):
- persons (named person actors only: `named: false` sources are scored as unnamed actors): a
  predicted person actor is right when its name is one of the gold person's spellings,
  ignoring case and diacritics, or its last word is the gold person's surname (last word of the
  fullest name) and no other gold person of the article has that surname; each actor goes to the
  first gold person it matches, a second actor for the same person is a false positive
  (`evaluation.actors.match_persons`). Role accuracy: a gold role head occurs in a predicted role
  (`evaluation.actors.role_right`), over matched persons with roles. Country precision: right among
  the predicted countries of matched persons (a country given where the gold has none counts as
  wrong); coverage: matched gold persons with a country that get that country.
- unnamed actors: recall of the gold `unnamed` entries (sources and participants without a name): a
  predicted actor has a mention overlapping the first occurrence of one of the entry's mentions.
- quotes: gold and predicted spans as sets of word tokens (quotation marks and punctuation left
  out); found when the overlap is at least half of each, one-to-one (`evaluation.spkatt.match_sets`).
  Speaker accuracy over matched quotes with a gold speaker: the predicted speaker's actor name, one
  of its mentions or the speaker span equals one of the gold speaker's names/mentions (ignoring case,
  diacritics and a leading article) or contains it as whole words (pronouns alone do not count);
  a person speaker also by the surname rule above; for a state speaker, the actor's country or state
  code equals it. **Attributed F1**: a quote is right only when found AND its speaker is right
  (a gold quote without a speaker: we give none either).
- events: same PLOVER type and an overlapping trigger mention, one-to-one
  (`evaluation.events.match_events`); participant accuracy: a gold participant (a person's,
  unnamed actor's or organisation's first spelling, or a state code) is resolved to all spellings
  of that entity, each compared as in `evaluation.events.participants_right`; a state code by the
  actor's state (`participants_right` here);
  time accuracy over matched events with a gold time, modality accuracy.

Usage (from the repository root):
    python -m evaluation.unseen [--split development|held-out|both] [--show N] [--data DIR]
        [--model NAME] [--write docs/quality.md]
`--show N` prints up to N errors of each kind for DEVELOPMENT articles only; held-out errors are
never printed (held-out articles are not to be looked at).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.actors import match_persons, role_right  # noqa: E402
from evaluation.common import DEFAULT_DATA, write_section  # noqa: E402
from evaluation.events import _names_match, gold_spans, match_events  # noqa: E402
from evaluation.spkatt import match_sets  # noqa: E402
from evaluation.unseen_import import FILES, OUT, find_word  # noqa: E402

SPLITS = ("held-out", "development")  # the order of the report: held-out first
ARTICLES = {"a", "an", "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen"}
PRONOUNS = {"er", "sie", "es", "wir", "ihr", "ich", "man", "dieser", "diese", "dieses", "jener", "jene"}
CODE = re.compile(r"^[A-Z]{3}$")


# --- names -----------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower-case, without diacritics, single-spaced: "Davutoğlu" and "davutoglu" fold alike."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _strip_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


def surname(names: list[str]) -> str:
    words = _words(names[0]) if names else []
    return words[-1] if words else ""


def person_matcher(gold_persons: list[dict]):
    """Return `same(name, names)` for `match_persons`: a spelling ignoring case and diacritics, or the
    surname when no other gold person of the article shares it."""
    counts = Counter(surname(g["names"]) for g in gold_persons)

    def same(name: str, names: list[str]) -> bool:
        if fold(name) in {fold(n) for n in names}:
            return True
        last, words = surname(names), _words(name)
        return bool(last) and counts[last] == 1 and bool(words) and words[-1] == last

    return same


def forms_match(predicted: list[str], gold: list[str]) -> bool:
    """A predicted form equals a gold form (case, diacritics and a leading article ignored) or
    contains it as whole words; gold forms that are only a pronoun are left out."""
    wanted = [w for w in (_strip_article(_words(g)) for g in gold) if w and not (len(w) == 1 and w[0] in PRONOUNS)]
    for form in predicted:
        have = _strip_article(_words(form))
        for w in wanted:
            if have == w or any(have[i:i + len(w)] == w for i in range(len(have) - len(w) + 1)):
                return True
    return False


# --- scoring ---------------------------------------------------------------------------------

def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


def token_set(spans: list[tuple[int, int]], start: int, end: int) -> set[int]:
    return {i for i, (s, e) in enumerate(spans) if s < end and e > start}


def speaker_entity(gold: dict, speaker: str) -> tuple[str, list[str]]:
    """Return (kind, names) of the gold speaker: "person", "unnamed", "organization" or "state"."""
    for p in gold["persons"]:
        if speaker in p["names"]:
            return "person", p["names"]
    for u in gold["unnamed"]:
        if speaker in u["mentions"]:
            return "unnamed", u["mentions"]
    for o in gold["organizations"]:
        if speaker in o["names"]:
            return "organization", o["names"]
    if CODE.match(speaker):
        return "state", [speaker]
    return "unknown", [speaker]


def speaker_right(quote: dict, gold_quote: dict, gold: dict, actors: dict[str, dict]) -> bool:
    """Our speaker of a found quote is the gold one (see the module docstring)."""
    sp = quote.get("speaker")
    if gold_quote["speaker"] is None:
        return not sp
    if not sp:
        return False
    actor = actors.get(sp.get("actor") or "")
    kind, names = speaker_entity(gold, gold_quote["speaker"])
    if kind == "state":
        return bool(actor) and (actor.get("country") == names[0] or actor.get("global_id") == f"state:{names[0]}")
    forms = [sp.get("text") or ""]
    if actor:
        forms += [actor.get("name") or ""] + [m["text"] for m in actor.get("mentions", [])]
    if forms_match(forms, names):
        return True
    if kind == "person" and actor and actor.get("kind") == "person":
        return person_matcher(gold["persons"])(actor["name"], names)
    return False


def participant_names(gold: dict, name: str) -> tuple[str, list[str]]:
    """Return (kind, names) of a gold event participant, as for a speaker: the gold gives the first
    spelling of a person / unnamed actor / organisation, or a state's code."""
    kind, names = speaker_entity(gold, name)
    return kind, names if name in names else [name, *names]


def participant_matches(kind: str, names: list[str], actor: dict) -> bool:
    """An actor is the gold participant: one of its names/mentions contains or is contained in one
    of the participant's spellings (`evaluation.events`), or for a state code the actor is that
    state (a state or location actor whose country or global id is the code)."""
    if kind == "state":
        code = names[0]
        return actor.get("global_id") == f"state:{code}" or \
            (actor.get("kind") in ("state", "location") and actor.get("country") == code)
    return any(_names_match(n, actor) for n in names)


def participants_right(pred: dict, gold_event: dict, gold: dict, actors: dict[str, dict]) -> bool:
    """Every gold source/target is one of our source/target actors and every one of ours is a gold
    one (roles are not compared, as in `evaluation.events.participants_right`)."""
    predicted = [actors[a] for a in pred["source"] + pred["target"] if a in actors]
    wanted = [participant_names(gold, n) for n in gold_event["source"] + gold_event["target"]]
    return all(any(participant_matches(k, ns, a) for a in predicted) for k, ns in wanted) and \
        all(any(participant_matches(k, ns, a) for k, ns in wanted) for a in predicted)


def score_article(gold: dict, text: str, result: dict) -> tuple[Counter, list[tuple[str, str]]]:
    """Return the counts of one article and its errors as (kind, message)."""
    c, errors = Counter(), []
    actors = {a["id"]: a for a in result["actors"]}
    # persons
    matched, extra = match_persons(gold["persons"], [a for a in result["actors"] if a["kind"] == "person" and a.get("named", True)],
                                   person_matcher(gold["persons"]))
    c["person_gold"] += len(gold["persons"])
    c["person_pred"] += len(matched) + len(extra)
    c["person_tp"] += len(matched)
    errors += [("person", f"{kind} person {a['name']!r}") for kind, a in extra]
    for i, g in enumerate(gold["persons"]):
        actor = matched.get(i)
        if actor is None:
            errors.append(("person", f"missed person {g['names'][0]!r}"))
            continue
        if g["roles"]:
            c["role_n"] += 1
            c["role_ok"] += role_right(actor, g)
            if not role_right(actor, g):
                errors.append(("person", f"role of {g['names'][0]!r}: {actor['roles']} (gold {g['roles']})"))
        if actor.get("country"):
            c["country_pred"] += 1
            c["country_pred_ok"] += actor["country"] == g["country"]
        if g["country"]:
            c["country_gold"] += 1
            c["country_gold_ok"] += actor.get("country") == g["country"]
        if actor.get("country") != g["country"]:
            errors.append(("person", f"country of {g['names'][0]!r}: {actor.get('country')} (gold {g['country']})"))
    # unnamed actors
    mention_spans = [(m["start"], m["end"]) for a in result["actors"] for m in a["mentions"]]
    for u in gold["unnamed"]:
        firsts = [(at, at + len(m)) for m in u["mentions"] if (at := find_word(text, m)) >= 0]
        c["unnamed_gold"] += 1
        if any(_overlaps(s, f) for s in mention_spans for f in firsts):
            c["unnamed_found"] += 1
        else:
            errors.append(("unnamed", f"missed unnamed {u['mentions'][0]!r}"))
    # quotes
    spans = word_spans(text)
    quotes = result["quotes"]
    pairs = match_sets([token_set(spans, q["start"], q["end"]) for q in quotes],
                       [token_set(spans, g["start"], g["end"]) for g in gold["quotes"]])
    c["quote_gold"] += len(gold["quotes"])
    c["quote_pred"] += len(quotes)
    c["quote_tp"] += len(pairs)
    for g in gold["quotes"]:
        c[f"quote_gold_{g['kind']}"] += 1
    for pi, gi, _ in pairs:
        q, g = quotes[pi], gold["quotes"][gi]
        right = speaker_right(q, g, gold, actors)
        c[f"quote_found_{g['kind']}"] += 1
        c["quote_attr"] += right
        if g["speaker"] is not None:
            c["speaker_n"] += 1
            c["speaker_ok"] += right
        if not right:
            sp = q.get("speaker") or {}
            errors.append(("speaker", f"speaker of {q['text'][:80]!r}: ours {sp.get('text')!r}, gold {g['speaker']!r}"))
    found_g, found_p = {gi for _, gi, _ in pairs}, {pi for pi, _, _ in pairs}
    errors += [("quote", f"missed {g['kind']} quote at {g['start']}: {text[g['start']:g['end']][:120]!r}")
               for gi, g in enumerate(gold["quotes"]) if gi not in found_g]
    errors += [("quote", f"spurious {q['kind']} quote: {q['text'][:120]!r}")
               for pi, q in enumerate(quotes) if pi not in found_p]
    # events
    events = result["events"]
    matches, _ = match_events(events, gold["events"], [gold_spans(text, g, gold["key"]) for g in gold["events"]])
    c["event_gold"] += len(gold["events"])
    c["event_pred"] += len(events)
    c["event_tp"] += len(matches)
    for pi, gi in matches:
        p, g = events[pi], gold["events"][gi]
        who = participants_right(p, g, gold, actors)
        c["participants_ok"] += who
        c["modality_ok"] += p["modality"] == g["modality"]
        value = (p.get("time") or {}).get("value")
        if g["time"]:
            c["time_n"] += 1
            c["time_ok"] += value == g["time"]
        if not who or p["modality"] != g["modality"] or (g["time"] and value != g["time"]):
            errors.append(("event", f"{g['type']} {g['mentions'][0][1]!r}: participants "
                                    f"{[actors[a]['name'] for a in p['source'] if a in actors]} -> "
                                    f"{[actors[a]['name'] for a in p['target'] if a in actors]} (gold {g['source']} -> "
                                    f"{g['target']}), time {value} (gold {g['time']}), modality {p['modality']} "
                                    f"(gold {g['modality']})"))
    used_g, used_p = {gi for _, gi in matches}, {pi for pi, _ in matches}
    errors += [("event", f"missed {g['type']} {g['mentions'][0][1]!r}")
               for gi, g in enumerate(gold["events"]) if gi not in used_g]
    errors += [("event", f"spurious {p['type']} {p['trigger']['text']!r}")
               for pi, p in enumerate(events) if pi not in used_p]
    return c, errors


# --- report ----------------------------------------------------------------------------------

def _ratio(ok: int, n: int) -> str:
    return f"{ok / n:.3f} ({ok}/{n})" if n else "– (0/0)"


def _prf(tp: int, pred: int, gold: int) -> str:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.3f} / {r:.3f} / {f:.3f}"


def figures(c: Counter) -> list[tuple[str, str]]:
    """The rows of one half's table: (figure, value)."""
    kinds = ", ".join(f"{k} {_ratio(c[f'quote_found_{k}'], c[f'quote_gold_{k}'])}"
                      for k in ("direct", "indirect", "mixed"))
    return [
        ("persons: P / R / F1", f"{_prf(c['person_tp'], c['person_pred'], c['person_gold'])} "
                                f"({c['person_tp']} of {c['person_gold']} gold, {c['person_pred']} predicted)"),
        ("person role accuracy (matched, with roles)", _ratio(c["role_ok"], c["role_n"])),
        ("person country precision (matched, country predicted)", _ratio(c["country_pred_ok"], c["country_pred"])),
        ("person country coverage (matched, gold country)", _ratio(c["country_gold_ok"], c["country_gold"])),
        ("unnamed actors recall", _ratio(c["unnamed_found"], c["unnamed_gold"])),
        ("quotes found: P / R / F1", f"{_prf(c['quote_tp'], c['quote_pred'], c['quote_gold'])} "
                                     f"({c['quote_tp']} of {c['quote_gold']} gold, {c['quote_pred']} predicted)"),
        ("quote recall by kind", kinds),
        ("speaker accuracy (found quotes with a gold speaker)", _ratio(c["speaker_ok"], c["speaker_n"])),
        ("**attributed quotes (found AND speaker right): P / R / F1**",
         f"**{_prf(c['quote_attr'], c['quote_pred'], c['quote_gold'])}** ({c['quote_attr']} right)"),
        ("events found (type + trigger): P / R / F1", f"{_prf(c['event_tp'], c['event_pred'], c['event_gold'])} "
                                                      f"({c['event_tp']} of {c['event_gold']} gold, "
                                                      f"{c['event_pred']} predicted)"),
        ("event participant accuracy (matched)", _ratio(c["participants_ok"], c["event_tp"])),
        ("event time accuracy (matched, gold time)", _ratio(c["time_ok"], c["time_n"])),
        ("event modality accuracy (matched)", _ratio(c["modality_ok"], c["event_tp"])),
    ]


def table(c: Counter) -> list[str]:
    return ["| figure | value |", "|---|---|", *(f"| {name} | {value} |" for name, value in figures(c))]


def load_split(split: str, data: Path) -> list[dict]:
    """Return the gold articles of one half with their text (checked against the selection)."""
    from evaluation.unseen_selection import selection

    chosen = {a["key"]: a for a in selection(data)}
    gold = json.loads((OUT / FILES[split]).read_text(encoding="utf-8"))["articles"]
    for g in gold:
        if chosen[g["key"]]["split"] != split:
            raise ValueError(f"{g['key']} is in {FILES[split]} but the selection puts it in {chosen[g['key']]['split']}")
    return [{**g, "text": chosen[g["key"]]["text"]} for g in gold]


def evaluate(pipeline, articles: list[dict], show: int = 0) -> Counter:
    """Sum the counts over `articles`; print up to `show` errors of each kind (callers pass 0 for
    held-out articles)."""
    total, shown = Counter(), Counter()
    results = pipeline.extract_many((article["text"], article["published_at"]) for article in articles)
    for article, result in zip(articles, results):
        counts, errors = score_article(article, article["text"], result)
        total.update(counts)
        total["articles"] += 1
        for kind, message in errors:
            if shown[kind] < show:
                shown[kind] += 1
                print(f"{article['key']}: {message}", file=sys.stderr)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["development", "held-out", "both"], default="both")
    parser.add_argument("--show", type=int, default=0, help="print up to N errors of each kind, development only")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default=None, help="spaCy model (default: the shipped one)")
    parser.add_argument("--write", default=None, help="update the unseen section of this Markdown file")
    args = parser.parse_args(argv)
    from evaluation.spkatt_data import model_description
    from workers.pipeline.extractor import load

    pipeline = load(args.model)
    began = time.time()
    splits = [s for s in SPLITS if args.split in (s, "both")]
    results = {s: evaluate(pipeline, load_split(s, args.data), args.show if s == "development" else 0) for s in splits}
    seconds = time.time() - began
    blocks = []
    for split in splits:
        c = results[split]
        name = ("Held-out half (never looked at while changing rules)" if split == "held-out"
                else "Development half (errors may be looked at)")
        blocks += [f"{name}, {c['articles']} articles:", "", *table(c), ""]
    print(f"model {pipeline.model}, {seconds:.0f} s\n")
    print("\n".join(blocks))
    if args.write:
        command = "python -m evaluation.unseen" + (f" --split {args.split}" if args.split != "both" else "") + \
            (f" --model {args.model}" if args.model else "") + f" --write {args.write}"
        body = "\n".join([
            "## Unseen news (issue 12: 30 SpkAtt blind-test Wikinews and 10 10kGNAD International articles)",
            "",
            f"Measured {dt.date.today().isoformat()} with `{command}`, model {model_description(pipeline)}, "
            f"{seconds:.0f} s.",
            "",
            *blocks,
            "Articles chosen and split (even positions development, odd held-out) before any was read;",
            "annotated from the text alone by annotators who never saw the extractor's output",
            "(evaluation/annotations/unseen/). The two halves are never pooled. Matching: persons by",
            "spelling (case and diacritics ignored) or unambiguous surname, duplicates count as false",
            "positives; quotes as word-token sets overlapping at least half of each, one-to-one; a",
            "quote is attributed-right only when found and its speaker is the gold one (name or mention",
            "of our speaker's actor, or its country for a state speaker); events by PLOVER type and an",
            "overlapping trigger, one-to-one. Unnamed actors: a predicted actor's mention overlaps the",
            "first occurrence of a gold mention. Details: evaluation/unseen.py.",
        ])
        write_section(ROOT / args.write if not Path(args.write).is_absolute() else Path(args.write), "unseen", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
