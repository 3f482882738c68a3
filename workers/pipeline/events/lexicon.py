"""The event word lists in lexicons/events/, read once, and the inflected forms they imply.

Nothing here needs the spaCy model: verb entries are expanded into their regular finite forms,
participles and infinitives (plus the irregular forms the file lists; `workers.pipeline.inflection`),
noun entries into their case and plural forms, so that triggers are found by surface form when
the model gives no lemmas, and by lemma when it does. Every file is read through
`lagebild_core.lexicon`; the closed word classes the event rules use are in word_classes.tsv.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table, read_words
from workers.pipeline import inflection
from workers.pipeline.quotes import lexicon as quotes_lexicon
from workers.pipeline.word_classes import word_classes

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "events"
NOUN_ENDINGS = ("", "s", "es", "n", "en", "e", "se", "sen", "nen")
UMLAUT = {"a": "ä", "o": "ö", "u": "ü"}


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a verb (with its separable particle) or a noun, typed with PLOVER."""

    lemma: str
    particle: str | None
    pos: str
    type: str
    mode: str | None
    object_is_target: bool
    preps: tuple[str, ...]
    requires: tuple[str, ...]
    forms: tuple[str, ...]

    @property
    def full_lemma(self) -> str:
        """The dictionary form: "vorwerfen" for "werfen" + "vor"."""
        return (self.particle or "") + self.lemma


def _table(name: str) -> tuple[dict[str, str], ...]:
    return read_table(LEXICON_DIR / name)


def _opt(value: str) -> str | None:
    return None if value in ("", "-") else value


@lru_cache(maxsize=1)
def triggers() -> tuple[Trigger, ...]:
    """Return the entries of triggers.tsv."""
    entries = []
    for row in _table("triggers.tsv"):
        entries.append(Trigger(
            lemma=row["lemma"], particle=_opt(row["particle"]), pos=row["pos"], type=row["type"],
            mode=_opt(row["mode"]), object_is_target=row["object"] == "target",
            preps=tuple(p for p in row["preps"].split(",") if _opt(p)),
            requires=tuple(r for r in row["requires"].split("|") if _opt(r)),
            forms=tuple(f for f in row["forms"].split(",") if _opt(f)),
        ))
    return tuple(entries)


@lru_cache(maxsize=1)
def exclusions() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Return exclusions.tsv as {lemma: (stems in the clause, words right before)} that make a
    trigger no event ("Maßnahmen getroffen", "mit Hilfe")."""
    rows = {}
    for row in _table("exclusions.tsv"):
        rows[row["lemma"]] = (tuple(x for x in row["stems"].split("|") if _opt(x)),
                              tuple(x for x in row["before"].split("|") if _opt(x)))
    return rows


@lru_cache(maxsize=1)
def families() -> dict[str, str]:
    """Return families.tsv as {lemma: family}."""
    return {row["lemma"]: row["family"] for row in _table("families.tsv")}


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """Return the lower-cased entries of a one-column list (places.tsv, stop_compounds.tsv) as a
    tuple, ready for `str.startswith` / `str.endswith`."""
    return tuple(sorted(read_words(LEXICON_DIR / name)))


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset[str]:
    """Return the words of one class of word_classes.tsv ("preposition", "past_aux", ...)."""
    return word_classes(LEXICON_DIR / "word_classes.tsv")[name]


@lru_cache(maxsize=1)
def target_prepositions() -> dict[str, frozenset[str]]:
    """Return {PLOVER type: prepositions whose actor is the target} (target_prepositions.tsv)."""
    return word_classes(LEXICON_DIR / "target_prepositions.tsv", kind="type", word="preposition")


@lru_cache(maxsize=1)
def contractions() -> dict[str, str]:
    """Return {contracted preposition: preposition} ("im" → "in", "zum" → "zu")."""
    return {row["form"]: row["preposition"] for row in _table("contractions.tsv")}


@lru_cache(maxsize=1)
def context() -> tuple[tuple[str, str, str | None], ...]:
    """Return the (stem, effect, value) rows of context.tsv."""
    return tuple((r["word"].lower(), r["effect"], _opt(r["value"])) for r in _table("context.tsv"))


@lru_cache(maxsize=1)
def modality_words() -> dict[str, tuple[str, str]]:
    """Return modality.tsv as {form: (modality, where)}."""
    return {r["form"].lower(): (r["modality"], r["where"]) for r in _table("modality.tsv")}


@lru_cache(maxsize=1)
def light_verbs() -> dict[str, str | None]:
    """Return {form: particle or None} for every form of the light verbs in light_verbs.tsv."""
    forms: dict[str, str | None] = {}
    for row in _table("light_verbs.tsv"):
        particle = _opt(row["particle"])
        extra = tuple(f for f in row["forms"].split(",") if _opt(f))
        separated, fused = verb_forms(row["lemma"], particle, extra)
        for form in separated:
            forms[form] = particle
        for form in fused:
            forms[form] = None
    return forms


def verb_forms(lemma: str, particle: str | None = None, irregular: tuple[str, ...] = ()) \
        -> tuple[set[str], set[str]]:
    """Return (separated, fused) lower-case forms of a verb (`inflection.verb_forms`) by the
    event lexicon's loose rule, which its lookup tables have always used (see `inflection`)."""
    return inflection.verb_forms(lemma, particle, irregular, loose=True)


def noun_forms(lemma: str) -> set[str]:
    """Return lower-case case and plural forms of a noun, umlauted plurals included
    ("Vorwurf" → "vorwürfe"); over-generation is harmless since forms are looked up only."""
    base = lemma.lower()
    forms = {base + ending for ending in NOUN_ENDINGS}
    if base.endswith("e"):
        forms |= {base + "n"}
    for i in range(len(base) - 1, -1, -1):
        if base[i] in UMLAUT:
            if base[i] == "u" and i > 0 and base[i - 1] == "a":  # au → äu
                i -= 1
                umlauted = base[:i] + "ä" + base[i + 1:]
            else:
                umlauted = base[:i] + UMLAUT[base[i]] + base[i + 1:]
            forms |= {umlauted + ending for ending in ("e", "en")}  # not "-er": "Kämpfer" is no fight
            break
        if base[i] in "eiäöü":
            break
    return forms


@lru_cache(maxsize=1)
def form_index() -> dict[str, tuple[dict[str, list[Trigger]], ...]]:
    """Return lookup tables keyed by lower-case form.

    "separated": verb forms that need their particle later in the clause (and forms of verbs
    without particle); "fused": verb forms containing the particle; "noun": noun forms;
    "lemma": the dictionary forms, for models that lemmatise.
    """
    separated: dict[str, list[Trigger]] = {}
    fused: dict[str, list[Trigger]] = {}
    noun: dict[str, list[Trigger]] = {}
    lemma: dict[str, list[Trigger]] = {}
    for entry in triggers():
        if entry.pos == "noun":
            for form in noun_forms(entry.lemma) | {f.lower() for f in entry.forms}:  # + "Razzien"
                noun.setdefault(form, []).append(entry)
            lemma.setdefault(entry.lemma.lower(), []).append(entry)
            continue
        sep, fus = verb_forms(entry.lemma, entry.particle, entry.forms)
        for form in sep:
            separated.setdefault(form, []).append(entry)
        for form in fus:
            fused.setdefault(form, []).append(entry)
        lemma.setdefault(entry.full_lemma.lower(), []).append(entry)
    return {"separated": separated, "fused": fused, "noun": noun, "lemma": lemma}


@lru_cache(maxsize=1)
def speech_verb_forms() -> frozenset[str]:
    """Return the lower-case forms of the speech verbs of the quotes step (its cue verbs): a
    time next to "erklärte" dates the statement, not the event."""
    forms: set[str] = set()
    for verb in quotes_lexicon.cue_verbs():
        separated, fused = verb_forms(verb.lemma, " ".join(verb.particle) or None, verb.irregular)
        forms |= separated | fused
    return frozenset(forms)
