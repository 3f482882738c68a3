"""The table of jobs taken into batches, shared by a worker's pool processes and its main process
(workers/copies.py): what is noted is held until it expires or is forgotten, by any process."""
from __future__ import annotations

import multiprocessing

import pytest

from workers import copies


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_a_noted_job_is_held_until_its_note_expires(clock):
    table = copies.TakenJobs(2, hold_seconds=10, clock=clock)
    table.note(["job-a", "job-b"], index=1)
    assert table.holds("job-a") and table.holds("job-b") and not table.holds("job-c")
    clock.now += 9.9
    assert table.holds("job-a")
    clock.now += 0.2
    assert not table.holds("job-a") and not table.holds("job-b")


def test_a_forgotten_job_is_not_held_and_the_others_stay(clock):
    table = copies.TakenJobs(2, hold_seconds=10, clock=clock)
    table.note(["job-a", "job-b"], index=0)
    table.note(["job-c"], index=1)
    table.forget(["job-a"], index=0)
    assert not table.holds("job-a") and table.holds("job-b") and table.holds("job-c")
    table.forget(["job-c"], index=0)  # another process's note is not this one's to forget
    assert table.holds("job-c")


def test_a_process_keeps_its_newest_notes_when_its_slots_run_out(clock):
    table = copies.TakenJobs(1, hold_seconds=10, clock=clock)
    jobs = [f"job-{n}" for n in range(copies.SLOTS_PER_PROCESS + 5)]
    table.note(jobs, index=0)
    assert not table.holds(jobs[0]) and table.holds(jobs[5]) and table.holds(jobs[-1])


def test_a_process_outside_the_regions_notes_nothing(clock):
    table = copies.TakenJobs(2, hold_seconds=10, clock=clock)
    table.note(["job-a"], index=2)
    table.note(["job-b"], index=-1)
    assert not table.holds("job-a") and not table.holds("job-b")


def _note_in_child(table, job_id):
    table.note([job_id], index=1)


def test_notes_of_a_forked_process_reach_the_process_it_was_forked_from():
    table = copies.TakenJobs(2, hold_seconds=30)
    child = multiprocessing.get_context("fork").Process(target=_note_in_child, args=(table, "job-from-child"))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert table.holds("job-from-child")
