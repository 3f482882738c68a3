"""The quote lexicons: cue verbs, verbless markers, quotation marks, Konjunktiv forms, roles.

Everything here is read from the data files in `workers/pipeline/lexicons/quotes/` and cached;
no word list lives in Python code.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "quotes"

INSEPARABLE_PREFIXES = ("be", "emp", "ent", "er", "ge", "miss", "ver", "zer", "hinter", "wider")


@dataclass(frozen=True)
class CueVerb:
    """One cue verb entry: `lemma` (base verb), `particle` words that must close the clause."""

    lemma: str
    particle: tuple[str, ...]
    cls: str


@dataclass(frozen=True)
class CueForm:
    """A surface form of a cue verb; `fused` is True when the particle is already inside it."""

    verb: CueVerb
    fused: bool


def _rows(name: str) -> list[list[str]]:
    rows = []
    for raw in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            rows.append(raw.split("\t"))
    return rows


def _words(name: str) -> frozenset[str]:
    return frozenset(" ".join(r[0].split()).lower() for r in _rows(name))


def weak_forms(lemma: str) -> tuple[list[str], str]:
    """Return the finite forms of a regular (weak) verb and its past participle without particle."""
    stem = lemma[:-1] if lemma.endswith(("ern", "eln")) else lemma[:-2]
    vowels = "aeiouäöüy"
    # "-et" after t/d and after m/n that follow a consonant other than l, r, m, n or a vowel's h
    # (zeichnet, rechnet, atmet; but lernt, filmt, wohnt)
    link = "e" if stem.endswith(("t", "d")) or (
        stem[-1:] in ("m", "n") and stem[-2:-1] not in tuple(vowels + "lrmn")
        and not (stem[-2:-1] == "h" and stem[-3:-2] in tuple(vowels))) else ""
    finite = [lemma, stem + "e", stem + link + "st", stem + link + "t", stem + link + "te",
              stem + link + "ten", stem + link + "test", stem + link + "tet"]
    no_ge = lemma.startswith(INSEPARABLE_PREFIXES) or lemma.endswith("ieren")
    participle = ("" if no_ge else "ge") + stem + link + "t"
    return finite, participle


@lru_cache(maxsize=1)
def cue_forms() -> dict[str, tuple[CueForm, ...]]:
    """Return a map from lower-cased surface form to the cue verbs it can be."""
    table: dict[str, list[CueForm]] = {}

    def add(form: str, verb: CueVerb, fused: bool) -> None:
        table.setdefault(form.lower(), []).append(CueForm(verb, fused))

    for row in _rows("cue_verbs.tsv"):
        row += [""] * (4 - len(row))
        lemma, particle, cls, irregular = (c.strip() for c in row[:4])
        verb = CueVerb(lemma, tuple(particle.split()), cls)
        finite, participle = weak_forms(lemma)
        if irregular:
            listed = [f.strip() for f in irregular.split(",") if f.strip()]
            finite = [lemma] + listed
            participle = next((f for f in listed if f.startswith("ge") and len(f) > len(lemma)), participle)
            if lemma.startswith(INSEPARABLE_PREFIXES):
                participle = next((f for f in reversed(listed) if f != lemma and f.endswith(("en", "t"))), participle)
        if not verb.particle:
            for f in finite + [participle, "zu" + lemma]:
                add(f, verb, True)
            continue
        for f in finite:
            add(f, verb, False)
        fusing = verb.particle[-1]  # "mitgeteilt", "bekanntgeben", "hinzuzufügen"
        if fusing.isalpha() and fusing != "sich":
            for f in (lemma, participle, "zu" + lemma):
                add(fusing + f, verb, True)
            if len(verb.particle) == 1:  # verb-final clauses: "der angab", "wie sie mitteilte"
                for f in finite[1:]:
                    add(fusing + f, verb, True)
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def quote_pairs() -> tuple[tuple[str, str, str], ...]:
    """Return (opening, closing, level) quotation mark pairs, longest marks first."""
    pairs = [tuple(r[:3]) for r in _rows("quote_marks.tsv")]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def markers() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Return verbless attribution markers by kind, each a tuple of lower-cased words."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for kind, pattern, *_ in _rows("markers.tsv"):
        out.setdefault(kind, []).append(tuple(pattern.lower().split()))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=1)
def konjunktiv_forms() -> frozenset[str]:
    """Return finite verb forms that mark reported speech (Konjunktiv I and its substitutes)."""
    return _words("konjunktiv.txt")


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    """Return speaker pronouns: form -> (gender, number)."""
    return {r[0].lower(): (r[1], r[2]) for r in _rows("pronouns.tsv")}


@lru_cache(maxsize=1)
def role_nouns() -> tuple[str, ...]:
    """Return lower-cased role noun stems ("sprecher", "minister")."""
    return tuple(sorted(_words("speaker_roles.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def speaker_stopwords() -> frozenset[str]:
    """Return words that end a speaker phrase read off the surface."""
    return _words("speaker_stop.txt")


@lru_cache(maxsize=1)
def clause_words() -> dict[str, frozenset[str]]:
    """Return word classes used to read clause boundaries: complementizers, relative words, ..."""
    out: dict[str, set[str]] = {}
    for kind, word, *_ in _rows("clause_words.tsv"):
        out.setdefault(kind, set()).add(word.lower())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def term_markers() -> frozenset[str]:
    """Return words before quotation marks that mark a term or name, not a quote ("so genannte")."""
    return _words("term_markers.txt")


@lru_cache(maxsize=1)
def source_nouns() -> tuple[str, ...]:
    """Return lower-cased nouns (and compound tails) naming a source after "nach" ("Angaben")."""
    return tuple(sorted(_words("source_nouns.txt"), key=len, reverse=True))


@lru_cache(maxsize=4096)
def is_source_noun(word: str) -> bool:
    """Return True when `word` (lower-cased) is a source noun or a compound ending in one."""
    return any(word.endswith(n) for n in source_nouns())


@lru_cache(maxsize=1)
def cue_nouns() -> tuple[str, ...]:
    """Return lower-cased speech nouns that take a reported clause ("Forderung", "Ansicht")."""
    return tuple(sorted(_words("cue_nouns.txt"), key=len, reverse=True))


@lru_cache(maxsize=4096)
def is_cue_noun(word: str) -> bool:
    """Return True when `word` (lower-cased) is a cue noun or a compound ending in one."""
    return any(word == n or (word.endswith(n) and len(word) > len(n) + 2) for n in cue_nouns())


@lru_cache(maxsize=1)
def konjunktiv_ii() -> frozenset[str]:
    """Return the Konjunktiv II forms (and würde) among the Konjunktiv forms."""
    return _words("konjunktiv_ii.txt")


@lru_cache(maxsize=1)
def zu_object_verbs() -> frozenset[str]:
    """Return cue verb lemmas whose zu-infinitive may follow an object ("warf ihm vor, … zu")."""
    return _words("zu_object_verbs.txt")


@lru_cache(maxsize=1)
def document_verbs() -> frozenset[str]:
    """Return the verb forms of impersonal reports whose source is a document ("heißt es")."""
    return _words("document_verbs.txt")
