"""Reading SpkAtt-2023 articles and running the quote steps over them (for evaluation/spkatt.py,
the unseen-news selection and evaluation): the annotated train split, the text rebuilt from the
tokens with the map from token to character offsets, the gold messages as token sets, the tokens
a predicted quote covers, and the pipeline's actors and quotes for a text (Docs optionally cached).
"""
from __future__ import annotations

import datetime as dt
import json
import lzma
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OPENING = {"„", "(", "[", "{", "‚", "»", "‹"}
CLOSING_PUNCT = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "…", "“", "‘", "”", "«", "›", "’"}
STRAIGHT = {'"', "''", "'"}


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
