"""The event word lists in lexicons/events/, read once, and the inflected forms they imply.

Nothing here needs the spaCy model: verb entries are expanded into their regular finite forms,
participles and infinitives (plus the irregular forms the file lists), noun entries into their
case and plural forms, so that triggers are found by surface form when the model gives no
lemmas, and by lemma when it does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "events"
INSEPARABLE = ("be", "emp", "ent", "er", "ge", "miss", "ver", "zer", "hinter", "wider")
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


def _lines(name: str) -> list[list[str]]:
    """Return the tab-separated rows of a lexicon file, comments and blank lines dropped."""
    rows = []
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _opt(value: str) -> str | None:
    return None if value in ("", "-") else value


@lru_cache(maxsize=1)
def triggers() -> tuple[Trigger, ...]:
    """Return the entries of triggers.tsv."""
    entries = []
    for lemma, particle, pos, type_, mode, obj, preps, requires, forms in _lines("triggers.tsv"):
        entries.append(Trigger(
            lemma=lemma, particle=_opt(particle), pos=pos, type=type_, mode=_opt(mode),
            object_is_target=obj == "target",
            preps=tuple(p for p in preps.split(",") if _opt(p)),
            requires=tuple(r for r in requires.split("|") if _opt(r)),
            forms=tuple(f for f in forms.split(",") if _opt(f)),
        ))
    return tuple(entries)


@lru_cache(maxsize=1)
def exclusions() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Return exclusions.tsv as {lemma: (stems in the clause, words right before)} that make a
    trigger no event ("Maßnahmen getroffen", "mit Hilfe")."""
    rows = {}
    for lemma, stems, before in _lines("exclusions.tsv"):
        rows[lemma] = (tuple(x for x in stems.split("|") if _opt(x)), tuple(x for x in before.split("|") if _opt(x)))
    return rows


@lru_cache(maxsize=1)
def families() -> dict[str, str]:
    """Return families.tsv as {lemma: family}."""
    return {lemma: family for lemma, family in _lines("families.tsv")}


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """Return the first column of a one-word-per-line list (places.txt, stop_compounds.txt)."""
    return tuple(row[0].lower() for row in _lines(name))


@lru_cache(maxsize=1)
def context() -> tuple[tuple[str, str, str | None], ...]:
    """Return the (stem, effect, value) rows of context.tsv."""
    return tuple((w.lower(), effect, _opt(value)) for w, effect, value in _lines("context.tsv"))


@lru_cache(maxsize=1)
def modality_words() -> dict[str, tuple[str, str]]:
    """Return modality.tsv as {form: (modality, where)}."""
    return {w.lower(): (modality, where) for w, modality, where in _lines("modality.tsv")}


@lru_cache(maxsize=1)
def light_verbs() -> dict[str, str | None]:
    """Return {form: particle or None} for every form of the light verbs in light_verbs.tsv."""
    forms: dict[str, str | None] = {}
    for lemma, particle, irregular in _lines("light_verbs.tsv"):
        particle = _opt(particle)
        extra = tuple(f for f in irregular.split(",") if _opt(f))
        for form in verb_forms(lemma, particle, extra)[0]:
            forms[form] = particle
        for form in verb_forms(lemma, particle, extra)[1]:
            forms[form] = None
    return forms


def _stem(lemma: str) -> str:
    if lemma.endswith("en"):
        return lemma[:-2]
    if lemma.endswith(("ern", "eln")):
        return lemma[:-1]
    return lemma[:-1] if lemma.endswith("n") else lemma


def verb_forms(lemma: str, particle: str | None = None, irregular: tuple[str, ...] = ()) \
        -> tuple[set[str], set[str]]:
    """Return (separated, fused) lower-case forms of a verb.

    separated: finite forms that stand alone in a main clause and need the particle later in the
    clause ("traf" for zusammentreffen); for a verb without particle, every form. fused: forms
    that contain the particle ("zusammentraf", "zusammengetroffen", "zusammenzutreffen").
    """
    lemma = lemma.lower()
    stem = _stem(lemma)
    e = "e" if stem.endswith(("t", "d")) or (stem.endswith(("m", "n")) and stem[-2:-1] not in "aeioulrh") else ""
    finite = {stem + "e", stem + e + "st", stem + e + "t", lemma, stem + "en",
              stem + e + "te", stem + e + "test", stem + e + "ten", stem + e + "tet"}
    no_ge = lemma.endswith("ieren") or lemma.startswith(INSEPARABLE)
    participle = stem + e + "t" if no_ge else "ge" + stem + e + "t"
    irregular = tuple(f.lower() for f in irregular)
    if not particle:
        return finite | {participle, "zu" + lemma} | set(irregular), set()
    particle = particle.lower()
    separated = finite | {f for f in irregular if not f.startswith(particle)}
    fused = {particle + f for f in finite}
    fused |= {particle + participle, particle + "zu" + lemma}
    fused |= {f if f.startswith(particle) else particle + f for f in irregular}
    return separated, fused


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
    """Return the lower-case forms of the speech verbs of the quotes step (lexicons/quotes/
    cue_verbs.tsv, read only): a time next to "erklärte" dates the statement, not the event."""
    path = LEXICON_DIR.parent / "quotes" / "cue_verbs.tsv"
    forms: set[str] = set()
    if not path.exists():
        return frozenset()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t") + ["", "", "", ""]
        lemma, particle, irregular = cells[0], cells[1] or None, cells[3]
        extra = tuple(f.strip() for f in irregular.split(",") if f.strip())
        separated, fused = verb_forms(lemma, particle, extra)
        forms |= separated | fused
    return frozenset(forms)
