"""lagebild_core.lexicon.Suffixes finds the entry a word ends in by its endings; it must choose
exactly what trying every entry, longest first, chose (the role, group, institution,
organisation, cue and source nouns all rely on that order)."""
import itertools
import random

import pytest

from lagebild_core.lexicon import Suffixes


def _scan(entries, word, min_rest=0, compound=None):
    """The way the lexicons were searched before: every entry, longest first."""
    for entry in sorted(entries, key=len, reverse=True):
        rest = len(word) - len(entry)
        if word == entry or (word.endswith(entry) and rest >= min_rest and (compound is None or compound(entry))):
            return entry
    return None


def test_the_longest_entry_the_word_ends_in_wins():
    suffixes = Suffixes(["minister", "außenminister", "ster"])
    assert suffixes.longest("bundesaußenminister") == "außenminister"
    assert suffixes.longest("verteidigungsminister") == "minister"
    assert suffixes.longest("schwester") == "ster"
    assert suffixes.longest("ministerin") is None


def test_a_word_that_is_an_entry_needs_no_rest_but_a_compound_does():
    suffixes = Suffixes(["zeuge", "euge"])
    assert suffixes.longest("zeuge", min_rest=3) == "zeuge"
    # "augenzeuge" leaves 5 before "zeuge"; "bzeuge" leaves 1, too few for it, but 2 before "euge"
    assert suffixes.longest("augenzeuge", min_rest=3) == "zeuge"
    assert suffixes.longest("bzeuge", min_rest=3) is None
    assert suffixes.longest("bzeuge", min_rest=2) == "euge"


def test_an_entry_that_may_not_end_a_compound_matches_only_itself():
    suffixes = Suffixes(["kreise", "regierungskreise", "rat"])
    compound = {"kreise": True, "regierungskreise": True, "rat": False}.get
    assert suffixes.longest("rat", min_rest=3, compound=compound) == "rat"
    assert suffixes.longest("stadtrat", min_rest=3, compound=compound) is None
    assert suffixes.longest("regierungskreise", min_rest=3, compound=compound) == "regierungskreise"
    assert suffixes.longest("oppositionskreise", min_rest=3, compound=compound) == "kreise"


@pytest.mark.parametrize("seed", range(5))
def test_it_agrees_with_trying_every_entry_longest_first(seed):
    rng = random.Random(seed)
    letters = "aeinrst"
    entries = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(60)}
    compound = {entry: rng.random() < 0.5 for entry in entries}.get
    suffixes = Suffixes(entries)
    words = ["".join(w) for n in range(1, 6) for w in itertools.product(letters[:4], repeat=n)]
    words += [rng.choice(sorted(entries)) + "".join(rng.choice(letters) for _ in range(rng.randint(0, 4)))
              for _ in range(500)]
    words += ["".join(rng.choice(letters) for _ in range(rng.randint(0, 4))) + rng.choice(sorted(entries))
              for _ in range(500)]
    for word, min_rest, with_compound in itertools.product(words, (0, 3), (False, True)):
        given = compound if with_compound else None
        assert suffixes.longest(word, min_rest=min_rest, compound=given) == \
            _scan(entries, word, min_rest, given), (word, min_rest, with_compound)
