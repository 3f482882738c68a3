"""Faults against real processes (issue 15), the two cheapest of `make chaos`: pool processes
SIGKILLed while they extract, and the whole worker (pool and beat) SIGKILLed and started again.
Every accepted article ends with exactly one succeeded job and one version: nothing lost,
nothing duplicated. The healing times are measured by benchmarks/chaos.py, not asserted here.

A private Redis and PostgreSQL cluster on free ports (tests/support/chaos.py), the API and a
worker with the shipped model and the default healing settings (job lease 30 s, sweep every 10 s).
"""
from __future__ import annotations

import pytest

from tests.support import chaos

pytestmark = [pytest.mark.integration, pytest.mark.model]

ARTICLES = 8


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = chaos.ChaosStack(tmp_path_factory.mktemp("chaos"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def texts():
    return chaos.article_texts(2 * ARTICLES)


def assert_nothing_lost_or_duplicated(stack: chaos.ChaosStack, batch: chaos.Batch) -> chaos.Outcome:
    outcome = chaos.wait_and_check(stack.postgres.dsn, batch, timeout=300)
    assert outcome.accepted == len(batch.texts)
    assert outcome.unfinished == 0, outcome.details
    assert outcome.lost == 0, outcome.details
    assert outcome.duplicated == 0, outcome.details
    return outcome


def test_pool_processes_killed_while_extracting(stack, texts):
    batch = chaos.Batch("child-kills", texts[:ARTICLES])
    chaos.submit(stack.service, batch)
    before = set(stack.pool_processes())
    chaos.kill_pool_children(stack, kills=8, over=8)
    assert_nothing_lost_or_duplicated(stack, batch)
    stack.wait_pool()  # the worker replaced every killed process
    assert set(stack.pool_processes()) != before


def test_whole_worker_killed_and_restarted(stack, texts):
    batch = chaos.Batch("worker-kill", texts[ARTICLES:])
    chaos.submit(stack.service, batch)
    chaos.kill_worker(stack, down=5)
    assert_nothing_lost_or_duplicated(stack, batch)
