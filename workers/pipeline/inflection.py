"""German verb inflection for the lexicons: the forms a verb entry stands for in running text.

The quote lexicon (cue verbs) and the event lexicon (trigger and light verbs) list verbs by
their infinitive; both expand an entry into its surface forms here, so that a verb is found by
its form when the model gives no lemma. Pure functions, no data files, no spaCy.

- `weak_forms(lemma)`: the regular (weak) paradigm: infinitive, present and past forms, past
  participle and zu-infinitive ("melden" → "meldet", "meldete", "gemeldet", "zumelden").
- `verb_forms(lemma, particle, irregular)`: all forms of a verb, a separable particle verb
  split into the forms that stand apart from their particle ("teilte … mit") and those with
  the particle fused in ("mitteilte", "mitgeteilt", "mitzuteilen").

Two rule sets, one switch. The strict rule (the default, the quote lexicon's) follows the
grammar: "-ern"/"-eln" verbs keep their "e" ("ändert"), a linking "e" comes after t/d and
after m/n that follow another consonant ("rechnet", "atmet"), but not after l, r, m, n or a
vowel's h ("lernt", "kommt", "wohnt"). `loose=True` is the event lexicon's older rule, kept
so that the event step's lookup tables (and thus its output) stay as they were when the two
copies were merged into this module. It differs in three ways, each visible in the event
tables and some of them in output (so not silently "fixed" here):
- the linking "e" is decided by the letter before m/n alone (none after a, e, i, o, u, l, r,
  h): it gives "kommet", "beginnet", "stimmet" for double m/n and "rechnt", "unterzeichnt"
  after "ch" where the strict rule gives "kommt", "rechnet";
- a plural is built as stem + "en", which for "-ern"/"-eln" verbs adds non-forms ("forderen")
  that are also adjective forms ("sicheren", "äußeren");
- a lemma ending in "n" but not "-en" loses only the "n" ("sein" → "sei", so "seit", "seite"),
  where the strict rule drops two letters ("se").
"""
from __future__ import annotations

from dataclasses import dataclass

# prefixes that never separate and take no "ge-" in the participle ("erklärt", "verurteilt")
INSEPARABLE_PREFIXES = ("be", "emp", "ent", "er", "ge", "miss", "ver", "zer", "hinter", "wider")
VOWELS = "aeiouäöüy"


@dataclass(frozen=True)
class WeakForms:
    """The regular forms of one verb (lower-case): `finite` starts with the infinitive."""

    finite: tuple[str, ...]
    participle: str
    zu_infinitive: str


def has_inseparable_prefix(lemma: str) -> bool:
    """Return True when the verb starts with a prefix that never separates ("erklären")."""
    return lemma.lower().startswith(INSEPARABLE_PREFIXES)


def takes_ge(lemma: str) -> bool:
    """Return True when the past participle takes "ge-": not after an inseparable prefix
    ("berichtet") and not for "-ieren" verbs ("kritisiert")."""
    low = lemma.lower()
    return not (has_inseparable_prefix(low) or low.endswith("ieren"))


def verb_stem(lemma: str, loose: bool = False) -> str:
    """Return the stem the endings attach to: "meld" for "melden", "forder" for "fordern".

    `loose`: the event lexicon's rule for a lemma without "-en" (see the module docstring).
    """
    low = lemma.lower()
    if low.endswith(("ern", "eln")):
        return low[:-1]
    if loose and not low.endswith("en"):
        return low[:-1] if low.endswith("n") else low
    return low[:-2]


def needs_link_e(stem: str, loose: bool = False) -> bool:
    """Return True when "-st", "-t", "-te" take a linking "e" after `stem` ("meldet", "rechnet").

    After t or d always; after m or n when a consonant other than l, r, m, n (or a vowel's h)
    precedes ("atmet", "zeichnet"; but "lernt", "kommt", "wohnt"). `loose`: the event
    lexicon's rule (see the module docstring).
    """
    if stem.endswith(("t", "d")):
        return True
    if stem[-1:] not in ("m", "n"):
        return False
    before = stem[-2:-1]
    if loose:
        return before not in "aeioulrh"  # ("" is in every string: a one-letter stem takes none)
    return before not in tuple(VOWELS + "lrmn") and not (before == "h" and stem[-3:-2] in tuple(VOWELS))


def weak_forms(lemma: str, loose: bool = False) -> WeakForms:
    """Return the regular forms of a verb given by its infinitive (without separable particle).

    finite: infinitive, 1st sg present, 2nd and 3rd sg present, then the past forms (3rd sg,
    3rd pl, 2nd sg, 2nd pl); with `loose` also stem + "en". participle: with "ge-" unless
    `takes_ge` says otherwise. zu_infinitive: "zu" + infinitive.
    """
    low = lemma.lower()
    stem = verb_stem(low, loose)
    base = stem + ("e" if needs_link_e(stem, loose) else "")
    finite = (low, stem + "e", base + "st", base + "t", base + "te", base + "ten", base + "test", base + "tet")
    if loose:
        finite += (stem + "en",)
    participle = ("ge" if takes_ge(low) else "") + base + "t"
    return WeakForms(finite, participle, "zu" + low)


def verb_forms(lemma: str, particle: str | None = None, irregular: tuple[str, ...] = (),
               loose: bool = False) -> tuple[set[str], set[str]]:
    """Return (separated, fused) lower-case forms of a verb.

    `irregular` adds listed forms of strong and irregular verbs to the regular ones. Without a
    particle, every form is in `separated` and `fused` is empty. With one, `separated` holds
    the finite forms that stand alone in a main clause and need the particle later in the
    clause ("traf" for zusammentreffen), `fused` the forms that contain it ("zusammentraf",
    "zusammengetroffen", "zusammenzutreffen"; a listed form is fused unless it already starts
    with the particle).
    """
    forms = weak_forms(lemma, loose)
    finite = set(forms.finite)
    irregular = tuple(f.lower() for f in irregular)
    if not particle:
        return finite | {forms.participle, forms.zu_infinitive} | set(irregular), set()
    particle = particle.lower()
    separated = finite | {f for f in irregular if not f.startswith(particle)}
    fused = {particle + f for f in finite}
    fused |= {particle + forms.participle, particle + forms.zu_infinitive}
    fused |= {f if f.startswith(particle) else particle + f for f in irregular}
    return separated, fused
