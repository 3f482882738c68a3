"""The quote passes' shared records: what an earlier pass took, which cues are used, the last one."""
from dataclasses import FrozenInstanceError

import pytest

from workers.pipeline.quotes.candidates import Accepted, Candidate


def candidate(toks, cue=None, sent=0):
    return Candidate("indirect", 0, 1, None, cue, None, toks, sent, frozenset({"test"}))


def test_taken_needs_half_of_the_shorter_span():
    accepted = Accepted((candidate((10, 20)),))
    assert accepted.taken(15, 30)        # 5 of 10 tokens
    assert not accepted.taken(17, 30)    # 3 of 10
    assert accepted.taken(18, 20)        # all of a short span
    assert not accepted.taken(20, 25)    # touching is no overlap


def test_a_pass_sees_its_own_and_the_earlier_candidates_and_changes_only_its_own():
    prior = (candidate((0, 5), cue=(2, 3)),)
    accepted = Accepted(prior)
    assert accepted.last is prior[0]
    own = accepted.add(candidate((8, 12), cue=(9, 10), sent=1))
    assert accepted.add(None) is None
    assert accepted.new == [own] and accepted.all == prior + (own,)
    assert accepted.last is own
    assert accepted.cue_used(2) and accepted.cue_used(9) and not accepted.cue_used(3)
    assert accepted.in_sentence(1) and not accepted.in_sentence(2)
    assert accepted.prior == prior


def test_candidates_are_immutable():
    with pytest.raises(FrozenInstanceError):
        candidate((0, 1)).cue = (0, 1)
