"""The quote lexicons: cue verbs, verbless markers, quotation marks, Konjunktiv forms, roles.

Everything here is read from the data files in `workers/pipeline/lexicons/quotes/` and cached;
no word list lives in Python code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import Suffixes, read_table, read_words
from workers.pipeline import inflection
from workers.pipeline.word_classes import word_classes

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "quotes"


@dataclass(frozen=True)
class CueVerb:
    """One cue verb entry: `lemma` (base verb), `particle` words that must close the clause,
    `cls` (speech, writing, thought, report), `irregular` forms listed for a strong verb."""

    lemma: str
    particle: tuple[str, ...]
    cls: str
    irregular: tuple[str, ...] = ()


@dataclass(frozen=True)
class CueForm:
    """A surface form of a cue verb; `fused` is True when the particle is already inside it."""

    verb: CueVerb
    fused: bool


def _words(name: str) -> frozenset[str]:
    return read_words(LEXICON_DIR / name)


@lru_cache(maxsize=1)
def cue_verbs() -> tuple[CueVerb, ...]:
    """Return the entries of cue_verbs.tsv in file order (the events step reads them too)."""
    verbs = []
    for row in read_table(LEXICON_DIR / "cue_verbs.tsv"):
        irregular = tuple(f.strip() for f in row["irregular"].split(",") if f.strip())
        verbs.append(CueVerb(row["lemma"].strip(), tuple(row["particle"].split()), row["class"].strip(), irregular))
    return tuple(verbs)


@lru_cache(maxsize=1)
def cue_forms() -> dict[str, tuple[CueForm, ...]]:
    """Return a map from lower-cased surface form to the cue verbs it can be."""
    table: dict[str, list[CueForm]] = {}

    def add(form: str, verb: CueVerb, fused: bool) -> None:
        table.setdefault(form.lower(), []).append(CueForm(verb, fused))

    for verb in cue_verbs():
        lemma = verb.lemma
        weak = inflection.weak_forms(lemma)
        finite, participle = list(weak.finite), weak.participle
        if verb.irregular:
            listed = list(verb.irregular)
            finite = [lemma] + listed
            participle = next((f for f in listed if f.startswith("ge") and len(f) > len(lemma)), participle)
            if inflection.has_inseparable_prefix(lemma):
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
def markers() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Return verbless attribution markers by kind, each a tuple of lower-cased words."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for row in read_table(LEXICON_DIR / "markers.tsv"):
        out.setdefault(row["kind"], []).append(tuple(row["pattern"].lower().split()))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=1)
def markers_by_first() -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    """Return `markers()` by kind and first word, in the same order: a token's lower-cased form
    finds the only patterns that can start at it."""
    out: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    for kind, patterns in markers().items():
        for words in patterns:
            out.setdefault(kind, {})[words[0]] = out.get(kind, {}).get(words[0], ()) + (words,)
    return out


@lru_cache(maxsize=1)
def konjunktiv_forms() -> frozenset[str]:
    """Return finite verb forms that mark reported speech (Konjunktiv I and its substitutes)."""
    return _words("konjunktiv.tsv")


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    """Return speaker pronouns: form -> (gender, number)."""
    return {r["form"].lower(): (r["gender"], r["number"]) for r in read_table(LEXICON_DIR / "pronouns.tsv")}


@lru_cache(maxsize=1)
def role_nouns() -> tuple[str, ...]:
    """Return lower-cased role noun stems ("sprecher", "minister")."""
    return tuple(sorted(_words("speaker_roles.tsv"), key=len, reverse=True))


@lru_cache(maxsize=1)
def speaker_stopwords() -> frozenset[str]:
    """Return words that end a speaker phrase read off the surface."""
    return _words("speaker_stop.tsv")


@lru_cache(maxsize=1)
def clause_words() -> dict[str, frozenset[str]]:
    """Return word classes used to read clause boundaries: complementizers, relative words, ..."""
    return word_classes(LEXICON_DIR / "clause_words.tsv", kind="kind")


@lru_cache(maxsize=1)
def term_markers() -> frozenset[str]:
    """Return words before quotation marks that mark a term or name, not a quote ("so genannte")."""
    return _words("term_markers.tsv")


@lru_cache(maxsize=1)
def source_nouns() -> frozenset[str]:
    """Return lower-cased nouns (and compound tails) naming a source after "nach" ("Angaben")."""
    return _words("source_nouns.tsv")


@lru_cache(maxsize=1)
def _source_noun_suffixes() -> Suffixes:
    return Suffixes(source_nouns())


@lru_cache(maxsize=4096)
def is_source_noun(word: str) -> bool:
    """Return True when `word` (lower-cased) is a source noun or a compound ending in one."""
    return _source_noun_suffixes().longest(word) is not None


@lru_cache(maxsize=1)
def object_cues() -> dict[tuple[str, tuple[str, ...]], frozenset[str]]:
    """Return {(lemma, particle words): prepositions} of the cue verbs whose content is a
    prepositional object ("sprach von …", "wies auf … hin"; object_cues.tsv)."""
    return {(r["lemma"].strip(), tuple(r["particle"].split())): frozenset(r["preposition"].lower().split())
            for r in read_table(LEXICON_DIR / "object_cues.tsv")}


@lru_cache(maxsize=1)
def cue_adjectives() -> dict[str, bool]:
    """Return {adjective: only after "für"} for the attitude adjectives that take a reported
    dass/ob clause ("sicher, dass …"; "hält es für möglich, dass …"; cue_adjectives.tsv)."""
    return {r["adjective"].strip().lower(): r["after_fuer"].strip() == "yes"
            for r in read_table(LEXICON_DIR / "cue_adjectives.tsv")}


@lru_cache(maxsize=1)
def cue_nouns() -> frozenset[str]:
    """Return lower-cased speech nouns that take a reported clause ("Forderung", "Ansicht")."""
    return _words("cue_nouns.tsv")


@lru_cache(maxsize=1)
def _cue_noun_suffixes() -> Suffixes:
    return Suffixes(cue_nouns())


@lru_cache(maxsize=4096)
def is_cue_noun(word: str) -> bool:
    """Return True when `word` (lower-cased) is a cue noun or a compound ending in one."""
    return _cue_noun_suffixes().longest(word, min_rest=3) is not None


@lru_cache(maxsize=1)
def konjunktiv_ii() -> frozenset[str]:
    """Return the Konjunktiv II forms (and würde) among the Konjunktiv forms."""
    return _words("konjunktiv_ii.tsv")


@lru_cache(maxsize=1)
def konjunktiv_ii_stand_ins() -> frozenset[str]:
    """Return the plural Konjunktiv II forms that stand in for a Konjunktiv I looking like the
    indicative ("würden", "hätten", "müssten"): reported speech, not speculation, after a quote."""
    return frozenset(r["form"].strip().lower() for r in read_table(LEXICON_DIR / "konjunktiv_ii.tsv")
                     if r["stand_in"].strip() == "yes")


@lru_cache(maxsize=1)
def zu_object_verbs() -> frozenset[str]:
    """Return cue verb lemmas whose zu-infinitive may follow an object ("warf ihm vor, … zu")."""
    return _words("zu_object_verbs.tsv")


@lru_cache(maxsize=1)
def document_verbs() -> frozenset[str]:
    """Return the verb forms of impersonal reports whose source is a document ("heißt es")."""
    return _words("document_verbs.tsv")


@lru_cache(maxsize=1)
def _fused_zu() -> re.Pattern[str]:
    prefixes = sorted((r["prefix"] for r in read_table(LEXICON_DIR / "zu_prefixes.tsv")), key=len, reverse=True)
    return re.compile(r"^(%s)zu[a-zäöüß]+(en|ern|eln)$" % "|".join(map(re.escape, prefixes)))


def is_fused_zu_infinitive(word: str) -> bool:
    """Return True for a lower-cased zu-infinitive written as one word ("anzukündigen")."""
    return bool(_fused_zu().match(word))
