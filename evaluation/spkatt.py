"""Quote extraction measured on SpkAtt-2023 (German Wikinews, speaker attribution).

Rebuilds each annotated article's text from its tokens (no space before closing punctuation
and closing quotation marks, none after opening marks and brackets), keeping the map from
token to character offsets; runs `Pipeline.extract`; and compares our quotes with the
annotated messages.

Matching: a predicted quote and a gold message are compared as sets of article tokens (a
predicted quote covers every token its character span overlaps; a gold message is its
annotated tokens, quotation marks included). They match when the overlap is at least half
of EACH of the two sets (|P ∩ G| ≥ 0.5 · max(|P|, |G|)); matching is one-to-one, greedy by
overlap ratio.

Figures:
- quote precision / recall / F1 over all forms (a prediction matching a gold message of
  any form is correct);
- "Direct+Indirect": recall over gold Direct and Indirect messages; precision over the
  predictions that either match such a message or match nothing (predictions matching a
  gold message of another form — FreeIndirect, IndirectFreeIndirect, Reported — are left
  out rather than counted wrong);
- per form: recall of the gold messages of that form; for Direct and Indirect also
  precision of our quotes of the corresponding kind (direct → Direct; indirect and mixed →
  Indirect), counted like Direct+Indirect;
- a gold Direct message that lies wholly inside one of our mixed quotes counts as found (SpkAtt
  annotates a quoted fragment inside indirect speech as a Direct message of its own; our schema
  folds it into the mixed quote); the number of such credits is printed;
- speaker accuracy: among matched pairs whose gold message has a Source, the share where our
  speaker span, or any mention of the actor it resolves to, overlaps the Source tokens;
- attributed F1: a quote counts as right only when it is found AND its speaker is right (overlaps
  the Source as above; for a gold message without a Source, our quote names no speaker either);
  precision and recall over the same predictions and gold messages as the row's found figures.

Reading and rebuilding the articles and running the quote steps: evaluation/spkatt_data.py.

Usage (from the repository root):
    .venv/bin/python -m evaluation.spkatt [--data ../shared/data] [--offset N] [--limit N]
        [--model NAME] [--show N] [--cache DIR] [--split 350] [--baseline blank:de]
        [--write docs/quality.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.spkatt_data import (Article, load_articles, model_description, parse,  # noqa: E402,F401
                                    pred_tokens, quote_result, rebuild)

FORMS = ["Direct", "Indirect", "IndirectFreeIndirect", "FreeIndirect", "Reported"]
KIND_FORM = {"direct": "Direct", "indirect": "Indirect", "mixed": "Indirect"}

START, END = "<!-- quotes:start -->", "<!-- quotes:end -->"


def match(article: Article, quotes: list[dict]) -> list[tuple[int, int, float]]:
    """Return one-to-one (pred index, gold index, ratio) pairs overlapping ≥ half of each."""
    return match_sets([pred_tokens(article, q) for q in quotes], [g["message"] for g in article.gold])


def match_sets(pred_sets: list[set], gold_sets: list[set]) -> list[tuple[int, int, float]]:
    """Return one-to-one (pred index, gold index, ratio) pairs of token sets whose overlap is at
    least half of each (|P ∩ G| ≥ 0.5 · max(|P|, |G|)), greedy by overlap ratio."""
    cands = []
    for pi, ps in enumerate(pred_sets):
        for gi, gs in enumerate(gold_sets):
            inter = len(ps & gs)
            if not inter:
                continue
            ratio = inter / max(len(ps), len(gs))
            if ratio >= 0.5:
                cands.append((ratio, pi, gi))
    used_p, used_g, pairs = set(), set(), []
    for ratio, pi, gi in sorted(cands, reverse=True):
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        pairs.append((pi, gi, ratio))
    return pairs


def speaker_ok(article: Article, quote: dict, gold: dict, actors: dict[str, dict]) -> bool:
    """Return True when our speaker span or its actor's mentions overlap the gold Source."""
    sp = quote.get("speaker")
    if not sp:
        return False
    spans = [(sp["start"], sp["end"])]
    if sp.get("actor") and sp["actor"] in actors:
        spans += [(m["start"], m["end"]) for m in actors[sp["actor"]]["mentions"]]
    return any(article.tokens_in(s, e) & gold["source"] for s, e in spans)


def attributed_ok(article: Article, quote: dict, gold: dict, actors: dict[str, dict]) -> bool:
    """Return True when a found quote's speaker is right: it overlaps the gold Source, or, for a
    gold message without a Source, our quote names no speaker either."""
    if gold["source"]:
        return speaker_ok(article, quote, gold, actors)
    return not quote.get("speaker")


def score_article(art: Article, quotes: list[dict], actors: dict[str, dict]) -> tuple[Counter, dict, list]:
    """Return the counts of one article (overall, per gold form) and its errors as (kind, text)."""
    c, per_form, errors = Counter(), defaultdict(Counter), []
    pairs = match(art, quotes)
    matched_p = {p: g for p, g, _ in pairs}
    matched_g = {g: p for p, g, _ in pairs}
    # quoted fragments folded into one of our mixed quotes (the schema's "one quote, not two")
    for gi, g in enumerate(art.gold):
        if gi in matched_g or g["form"] != "Direct":
            continue
        for pi, q in enumerate(quotes):
            if q["kind"] == "mixed" and g["message"] <= art.tokens_in(q["start"], q["end"]):
                matched_g[gi] = pi
                c["fragment_credit"] += 1
                break
    c["pred"] += len(quotes)
    c["gold"] += len(art.gold)
    c["tp"] += len(pairs)
    for gi, g in enumerate(art.gold):
        f = per_form[g["form"]]
        f["gold"] += 1
        if gi in matched_g:
            f["found"] += 1
            q = quotes[matched_g[gi]]
            f["attr"] += attributed_ok(art, q, g, actors)
            if g["source"]:
                f["spk_n"] += 1
                ok = speaker_ok(art, q, g, actors)
                f["spk_ok"] += ok
                if not ok and g["form"] in ("Direct", "Indirect"):
                    sp = q["speaker"]
                    errors.append(("spk", (f"SPEAKER [{g['form']}]: gold={g['source_text']!r} "
                                           f"ours={sp and sp['text']!r} | {q['text'][:100]!r}")))
        elif g["form"] in ("Direct", "Indirect"):
            errors.append(("fn", f"MISSED [{g['form']}]: {g['text'][:160]!r}"))
    for pi, q in enumerate(quotes):
        kind_form = KIND_FORM[q["kind"]]
        f = per_form[kind_form]
        if pi in matched_p:
            g = art.gold[matched_p[pi]]
            right = attributed_ok(art, q, g, actors)
            c["attr_tp"] += right
            if g["form"] == kind_form:
                f["pred_tp"] += 1
                f["pred_attr_tp"] += right
            if g["form"] in ("Direct", "Indirect"):
                c["di_tp"] += 1
                c["di_attr_tp"] += right
        else:
            f["pred_fp"] += 1
            c["di_fp"] += 1
            errors.append(("fp", f"SPURIOUS [{q['kind']}]: {q['text'][:160]!r}"))
    return c, per_form, errors


def evaluate(articles: list[dict], pipeline, show: int = 0, cache: Path | None = None) -> dict:
    """Run the pipeline over `articles` and return counts and figures."""
    c = Counter()
    per_form = defaultdict(Counter)
    shown = Counter()
    for raw in articles:
        art = Article(raw)
        result = quote_result(pipeline, art.text, cache, str(raw["id"]))
        counts, forms, errors = score_article(art, result["quotes"], {a["id"]: a for a in result["actors"]})
        c.update(counts)
        for form, fc in forms.items():
            per_form[form].update(fc)
        for kind, message in errors:
            if shown[kind] < show:
                shown[kind] += 1
                word, rest = message.split(" ", 1)
                print(f"{word} {raw['id']} {rest}", file=sys.stderr)
    return {"counts": c, "forms": per_form, "articles": len(articles)}


def _prf(tp: int, fp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def table(res: dict) -> list[str]:
    """Return the figures as Markdown table lines.

    Attributed F1: a quote is right only when it is found and its speaker is right (see
    `attributed_ok`); precision over the row's predictions, recall over its gold messages.
    """
    c, forms = res["counts"], res["forms"]
    lines = ["| forms | gold | found | precision | recall | F1 | speaker accuracy | attributed F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def spk(keys):
        n = sum(forms[k]["spk_n"] for k in keys)
        ok = sum(forms[k]["spk_ok"] for k in keys)
        return f"{ok / n:.3f} ({ok}/{n})" if n else "–"

    def attr(tp: int, n_pred: int, keys) -> float:
        gold = sum(forms[k]["gold"] for k in keys)
        return _f1(tp / n_pred if n_pred else 0.0, sum(forms[k]["attr"] for k in keys) / gold if gold else 0.0)

    found_all = sum(forms[k]["found"] for k in FORMS)
    p, r, f = _prf(c["tp"], c["pred"] - c["tp"], found_all, c["gold"])
    af = attr(c["attr_tp"], c["pred"], FORMS)
    lines.append(f"| all forms | {c['gold']} | {found_all} | {p:.3f} | {r:.3f} | {f:.3f} | {spk(FORMS)} | {af:.3f} |")
    di = ("Direct", "Indirect")
    gold_di = sum(forms[k]["gold"] for k in di)
    found_di = sum(forms[k]["found"] for k in di)
    p, r, f = _prf(c["di_tp"], c["di_fp"], found_di, gold_di)
    af = attr(c["di_attr_tp"], c["di_tp"] + c["di_fp"], di)
    lines.append(f"| **Direct+Indirect** | {gold_di} | {found_di} | {p:.3f} | {r:.3f} | **{f:.3f}** | **{spk(di)}** "
                 f"| **{af:.3f}** |")
    for form in FORMS:
        fo = forms[form]
        if form in di:
            p, r, f = _prf(fo["pred_tp"], fo["pred_fp"], fo["found"], fo["gold"])
            af = attr(fo["pred_attr_tp"], fo["pred_tp"] + fo["pred_fp"], [form])
            lines.append(f"| {form} | {fo['gold']} | {fo['found']} | {p:.3f} | {r:.3f} | {f:.3f} | {spk([form])} "
                         f"| {af:.3f} |")
        else:
            r = fo["found"] / fo["gold"] if fo["gold"] else 0.0
            ar = fo["attr"] / fo["gold"] if fo["gold"] else 0.0
            lines.append(f"| {form} (recall only) | {fo['gold']} | {fo['found']} | – | {r:.3f} | – | {spk([form])} "
                         f"| – (recall {ar:.3f}) |")
    return lines


def write_section(path: Path, body: str) -> None:
    """Replace (or append) the quotes section of `path`, leaving every other section alone."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Quality\n"
    block = f"{START}\n{body.rstrip()}\n{END}"
    if START in old and END in old:
        head, rest = old.split(START, 1)
        _, tail = rest.split(END, 1)
        new = head + block + tail
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def merge(parts: list[dict]) -> dict:
    """Return the figures of several evaluated article ranges taken together."""
    c, forms = Counter(), defaultdict(Counter)
    for res in parts:
        c.update(res["counts"])
        for form, counts in res["forms"].items():
            forms[form].update(counts)
    return {"counts": c, "forms": forms, "articles": sum(r["articles"] for r in parts)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="folder holding spkatt/")
    ap.add_argument("--offset", type=int, default=0, help="skip the first N articles")
    ap.add_argument("--limit", type=int, default=None, help="evaluate at most N articles")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: models/de_lagebild or blank)")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses of each kind of the development articles to stderr")
    ap.add_argument("--write", default=None, help="update the quotes section of this Markdown file")
    ap.add_argument("--cache", default=None, help="folder caching parsed Docs per model (for development)")
    ap.add_argument("--split", type=int, default=350,
                    help="first held-out article: figures are also given for the development and held-out parts")
    ap.add_argument("--baseline", default=None,
                    help="a second pipeline (e.g. blank:de) whose figures are written next to the model's")
    args = ap.parse_args(argv)

    from workers.pipeline import load

    articles = load_articles(Path(args.data))
    end = len(articles) if args.limit is None else min(len(articles), args.offset + args.limit)
    cache = Path(args.cache) if args.cache else None
    ranges = [(args.offset, end)]
    if args.offset < args.split < end:
        ranges = [(args.offset, args.split), (args.split, end)]

    def run(model: str | None) -> tuple[object, list[dict], float]:
        pipeline = load(model)
        t0 = time.time()
        # misses are shown for development articles only (before --split): held-out is not looked at
        parts = [evaluate(articles[a:b], pipeline, show=args.show if a < args.split else 0, cache=cache)
                 for a, b in ranges]
        return pipeline, parts, time.time() - t0

    pipeline, parts, secs = run(args.model)
    res = merge(parts)
    lines = table(res)
    print("\n".join(lines))
    print(f"{res['articles']} articles, model {pipeline.model}, {secs:.0f} s, "
          f"{res['counts']['fragment_credit']} Direct fragments credited inside mixed quotes")
    blocks = [f"All articles {args.offset}–{end - 1} ({res['articles']}):", "", *lines]
    if len(parts) == 2:
        names = [f"Development part, articles {args.offset}–{args.split - 1} (the rules were developed on these):",
                 f"Held-out part, articles {args.split}–{end - 1} (never looked at while developing):"]
        for name, part in zip(names, parts):
            part_lines = table(part)
            print(name)
            print("\n".join(part_lines))
            blocks += ["", name, "", *part_lines]
    if args.baseline:
        base, base_parts, base_secs = run(args.baseline)
        base_lines = table(merge(base_parts))
        print(f"baseline {base.model}:")
        print("\n".join(base_lines))
        blocks += ["", f"The same rules on the pipeline {model_description(base)} (no parse, morphology or "
                   f"entities), all articles {args.offset}–{end - 1}, {base_secs:.0f} s:", "", *base_lines]
    if args.write:
        given = list(argv if argv is not None else sys.argv[1:])
        if "--cache" in given:  # the cache only saves time; the figures do not depend on it
            at = given.index("--cache")
            del given[at:at + 2]
        cmd = "python -m evaluation.spkatt " + " ".join(given)
        body = "\n".join([
            "## Quotes (SpkAtt-2023 train, German Wikinews)",
            "",
            f"Measured {dt.date.today().isoformat()} with `{cmd.strip()}`, model {model_description(pipeline)}, "
            f"{secs:.0f} s.",
            "",
            *blocks,
            "",
            "Matching: predicted quote and gold message as token sets; a match needs an overlap of at",
            "least half of each (|P∩G| ≥ 0.5·max(|P|,|G|)), one-to-one. Direct+Indirect precision",
            "leaves out predictions that match gold messages of the other forms. Speaker accuracy:",
            "among matched messages with an annotated Source, our speaker span or any mention of its",
            "actor overlaps the Source. Attributed F1: a quote is right only when found AND its speaker",
            "is right (for a gold message without a Source: we name no speaker either), over the row's",
            "predictions and gold messages. A gold Direct message wholly inside one of our mixed quotes",
            f"counts as found ({res['counts']['fragment_credit']} such credits over all articles): SpkAtt",
            "annotates quoted fragments inside indirect speech separately, the schema folds them into",
            "one mixed quote. Targets (issue 4): F1 ≥ 0.75 and speaker accuracy ≥ 0.85 on Direct and on",
            "Indirect.",
        ])
        write_section(ROOT / args.write if not Path(args.write).is_absolute() else Path(args.write), body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
