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
  speaker span, or any mention of the actor it resolves to, overlaps the Source tokens.

Usage (from the repository root):
    .venv/bin/python -m evaluation.spkatt [--data ../shared/data] [--offset N] [--limit N]
        [--model NAME] [--show N] [--cache DIR] [--split 350] [--baseline blank:de]
        [--write docs/quality.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import lzma
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPENING = {"„", "(", "[", "{", "‚", "»", "‹"}
CLOSING_PUNCT = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "…", "“", "‘", "”", "«", "›", "’"}
STRAIGHT = {'"', "''", "'"}
FORMS = ["Direct", "Indirect", "IndirectFreeIndirect", "FreeIndirect", "Reported"]
KIND_FORM = {"direct": "Direct", "indirect": "Indirect", "mixed": "Indirect"}
START, END = "<!-- quotes:start -->", "<!-- quotes:end -->"


def load_articles(data: Path) -> list[dict]:
    """Return the annotated SpkAtt articles (train split) in file order."""
    with lzma.open(data / "spkatt" / "train.jsonl.xz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def rebuild(article: dict) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """Return the article text and a map (sentence, token) -> (start, end) character offsets.

    Sentences are joined by one space (none after an opening mark that the annotation left at the
    end of a sentence, none before a closing mark it put at the start of the next). Inside a
    sentence tokens are joined by one space except before closing punctuation and closing
    quotation marks and after opening marks and brackets; straight quotes alternate between
    opening and closing across the article.
    """
    parts: list[str] = []
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    pos = 0
    open_straight = False
    open_guillemet = None
    for sent in article["Sentences"]:
        sid = sent["SentenceId"]
        no_space = True
        for ti, tok in enumerate(sent["Tokens"]):
            glue = no_space
            if ti == 0 and parts and parts[-1] == " " and (
                    tok in CLOSING_PUNCT or tok in STRAIGHT and open_straight):
                parts.pop()  # a closing mark split off into the next sentence: „… .“
                pos -= 1
            next_no_space = False
            if tok in STRAIGHT:
                if open_straight:
                    glue = True
                else:
                    next_no_space = True
                open_straight = not open_straight
            elif tok in ("»", "«"):
                if open_guillemet is None:
                    open_guillemet = tok
                    next_no_space = True
                elif tok == open_guillemet:
                    next_no_space = True
                else:
                    glue = True
                    open_guillemet = None
            elif tok in OPENING:
                next_no_space = True
            elif tok in CLOSING_PUNCT:
                glue = True
            if parts and not glue:
                parts.append(" ")
                pos += 1
            offsets[(sid, ti)] = (pos, pos + len(tok))
            parts.append(tok)
            pos += len(tok)
            no_space = next_no_space
        if not no_space:  # an opening mark closing the annotated sentence belongs to the next one
            parts.append(" ")
            pos += 1
    return "".join(parts).rstrip(), offsets


def _refs(refs: list[str]) -> set[tuple[int, int]]:
    return {tuple(int(x) for x in r.split(":")) for r in refs}


class Article:
    """One rebuilt article: text, token offsets and gold annotations as token sets."""

    def __init__(self, raw: dict):
        self.raw = raw
        self.text, self.offsets = rebuild(raw)
        self.keys = sorted(self.offsets)
        self.token_text = {(s["SentenceId"], i): t for s in raw["Sentences"] for i, t in enumerate(s["Tokens"])}
        self.gold = [
            {"form": a["Form"], "message": _refs(a["Message"]), "source": _refs(a["Source"]),
             "text": a["MessageText"], "source_text": a["SourceText"]}
            for a in raw.get("Annotations", []) if a["Message"]
        ]

    def tokens_in(self, start: int, end: int) -> set[tuple[int, int]]:
        return {k for k in self.keys if self.offsets[k][0] < end and self.offsets[k][1] > start}


MARKS = {"„", "“", "”", "\"", "''", "»", "«", "‚", "‘", "‹", "›"}


def pred_tokens(article: Article, quote: dict) -> set[tuple[int, int]]:
    """Return the tokens a predicted quote covers; for a direct quote with its quotation marks.

    Our direct quote text leaves the marks out, SpkAtt's messages include them.
    """
    toks = article.tokens_in(quote["start"], quote["end"])
    if quote["kind"] == "direct" and toks:
        index = {k: i for i, k in enumerate(article.keys)}
        first, last = index[min(toks)], index[max(toks)]
        for j in (first - 1, last + 1):
            if 0 <= j < len(article.keys) and article.token_text[article.keys[j]] in MARKS:
                toks.add(article.keys[j])
    return toks


def match(article: Article, quotes: list[dict]) -> list[tuple[int, int, float]]:
    """Return one-to-one (pred index, gold index, ratio) pairs overlapping ≥ half of each."""
    pred_sets = [pred_tokens(article, q) for q in quotes]
    cands = []
    for pi, ps in enumerate(pred_sets):
        for gi, g in enumerate(article.gold):
            inter = len(ps & g["message"])
            if not inter:
                continue
            ratio = inter / max(len(ps), len(g["message"]))
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


def _model_key(pipeline) -> str:
    """Return a cache folder name for the loaded model: its name and version and a digest of its
    meta (a retrained model keeps its version but not its meta)."""
    import hashlib

    digest = hashlib.sha1(json.dumps(pipeline.nlp.meta, sort_keys=True, default=str).encode()).hexdigest()[:10]
    return f"{pipeline.model}-{digest}"


def parse(pipeline, text: str, cache: Path | None = None, key: str = ""):
    """Return the spaCy Doc of `text` after boilerplate masking, from `cache` when it holds it.

    The cache (a folder, one file per article and model) only saves the model's time while the
    rules are developed; the Doc is the same as the one `Pipeline.extract` builds.
    """
    from spacy.tokens import Doc

    from workers.pipeline import clean

    masked = clean.mask_boilerplate(text)
    path = None
    if cache is not None:
        path = cache / _model_key(pipeline) / f"{key}.doc"
        if path.exists():
            doc = Doc(pipeline.nlp.vocab).from_bytes(path.read_bytes())
            if doc.text == masked:
                return doc
    doc = pipeline.nlp(masked)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.to_bytes())
    return doc


def quote_result(pipeline, text: str, cache: Path | None = None, key: str = "") -> dict:
    """Return {"actors", "quotes"} for `text` exactly as `Pipeline.extract` computes them.

    Runs the same steps (boilerplate masking, one spaCy pass, actors, actor index, quotes) but
    not the events step, so that the quote figures do not depend on other work in progress.
    """
    from workers.pipeline import actors, quotes
    from workers.pipeline.document import DocumentView

    view = DocumentView.of(parse(pipeline, text, cache, key))
    found = actors.extract_actors(view)
    return {"actors": found, "quotes": quotes.extract_quotes(view, actors.ActorIndex(found))}


def evaluate(articles: list[dict], pipeline, show: int = 0, cache: Path | None = None) -> dict:
    """Run the pipeline over `articles` and return counts and figures."""
    c = Counter()
    per_form = defaultdict(Counter)
    shown = Counter()
    for raw in articles:
        art = Article(raw)
        result = quote_result(pipeline, art.text, cache, str(raw["id"]))
        quotes = result["quotes"]
        actors = {a["id"]: a for a in result["actors"]}
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
                if g["source"]:
                    f["spk_n"] += 1
                    ok = speaker_ok(art, q, g, actors)
                    f["spk_ok"] += ok
                    if not ok and shown["spk"] < show and g["form"] in ("Direct", "Indirect"):
                        shown["spk"] += 1
                        sp = q["speaker"]
                        print(f"SPEAKER {raw['id']} [{g['form']}]: gold={g['source_text']!r} ours={sp and sp['text']!r}"
                              f" | {q['text'][:100]!r}", file=sys.stderr)
            elif shown["fn"] < show and g["form"] in ("Direct", "Indirect"):
                shown["fn"] += 1
                print(f"MISSED {raw['id']} [{g['form']}]: {g['text'][:160]!r}", file=sys.stderr)
        for pi, q in enumerate(quotes):
            kind_form = KIND_FORM[q["kind"]]
            f = per_form[kind_form]
            if pi in matched_p:
                gform = art.gold[matched_p[pi]]["form"]
                if gform == kind_form:
                    f["pred_tp"] += 1
                if gform in ("Direct", "Indirect"):
                    c["di_tp"] += 1
            else:
                f["pred_fp"] += 1
                c["di_fp"] += 1
                if shown["fp"] < show:
                    shown["fp"] += 1
                    print(f"SPURIOUS {raw['id']} [{q['kind']}]: {q['text'][:160]!r}", file=sys.stderr)
    return {"counts": c, "forms": per_form, "articles": len(articles)}


def _prf(tp: int, fp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def table(res: dict) -> list[str]:
    """Return the figures as Markdown table lines."""
    c, forms = res["counts"], res["forms"]
    lines = ["| forms | gold | found | precision | recall | F1 | speaker accuracy |",
             "|---|---:|---:|---:|---:|---:|---:|"]

    def spk(keys):
        n = sum(forms[k]["spk_n"] for k in keys)
        ok = sum(forms[k]["spk_ok"] for k in keys)
        return f"{ok / n:.3f} ({ok}/{n})" if n else "–"

    found_all = sum(forms[k]["found"] for k in FORMS)
    p, r, f = _prf(c["tp"], c["pred"] - c["tp"], found_all, c["gold"])
    lines.append(f"| all forms | {c['gold']} | {found_all} | {p:.3f} | {r:.3f} | {f:.3f} | {spk(FORMS)} |")
    di = ("Direct", "Indirect")
    gold_di = sum(forms[k]["gold"] for k in di)
    found_di = sum(forms[k]["found"] for k in di)
    p, r, f = _prf(c["di_tp"], c["di_fp"], found_di, gold_di)
    lines.append(f"| **Direct+Indirect** | {gold_di} | {found_di} | {p:.3f} | {r:.3f} | **{f:.3f}** | **{spk(di)}** |")
    for form in FORMS:
        fo = forms[form]
        if form in di:
            p, r, f = _prf(fo["pred_tp"], fo["pred_fp"], fo["found"], fo["gold"])
            lines.append(f"| {form} | {fo['gold']} | {fo['found']} | {p:.3f} | {r:.3f} | {f:.3f} | {spk([form])} |")
        else:
            r = fo["found"] / fo["gold"] if fo["gold"] else 0.0
            lines.append(f"| {form} (recall only) | {fo['gold']} | {fo['found']} | – | {r:.3f} | – | {spk([form])} |")
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


def model_description(pipeline) -> str:
    """Return the model's printable name with a digest of its meta (a retrained model may keep
    its version number) and the date its meta file was written."""
    desc = f"`{pipeline.model}`"
    if pipeline.model != "blank:de":
        desc += f" (meta digest {_model_key(pipeline).rsplit('-', 1)[-1]}"
        meta = ROOT / "models" / "de_lagebild" / "meta.json"
        if meta.exists():
            stamp = dt.datetime.fromtimestamp(meta.stat().st_mtime, dt.timezone.utc)
            desc += f", models/de_lagebild/meta.json of {stamp:%Y-%m-%d %H:%M} UTC"
        desc += ")"
    return desc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="folder holding spkatt/")
    ap.add_argument("--offset", type=int, default=0, help="skip the first N articles")
    ap.add_argument("--limit", type=int, default=None, help="evaluate at most N articles")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: models/de_lagebild or blank)")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses of each kind to stderr")
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
        parts = [evaluate(articles[a:b], pipeline, show=args.show, cache=cache) for a, b in ranges]
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
            "actor overlaps the Source. A gold Direct message wholly inside one of our mixed quotes",
            f"counts as found ({res['counts']['fragment_credit']} such credits over all articles): SpkAtt",
            "annotates quoted fragments inside indirect speech separately, the schema folds them into",
            "one mixed quote. Targets (issue 4): F1 ≥ 0.75 and speaker accuracy ≥ 0.85 on Direct and on",
            "Indirect.",
        ])
        write_section(ROOT / args.write if not Path(args.write).is_absolute() else Path(args.write), body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
