"""The timed phases of an extraction task (workers/phases.py): wall and CPU time per phase, each
phase from the end of the one before."""
import time

from workers.phases import Phases


def _spin(seconds: float) -> None:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_a_phase_that_waits_takes_wall_time_and_almost_no_cpu():
    phases = Phases()
    time.sleep(0.05)
    wall = phases.end("claim")
    assert wall >= 0.05
    assert phases.fields["claim_ms"] >= 50
    assert phases.fields["claim_cpu_ms"] < 25


def test_a_phase_that_works_takes_cpu_time_and_phases_follow_each_other():
    phases = Phases()
    time.sleep(0.3)
    phases.end("claim")
    _spin(0.04)
    phases.end("pipeline")
    assert phases.fields["pipeline_cpu_ms"] >= 40
    assert phases.fields["pipeline_ms"] >= phases.fields["pipeline_cpu_ms"] - 1  # rounding
    assert phases.fields["pipeline_ms"] < 250  # from the end of the claim: its 300 ms sleep is not counted again
    assert list(phases.fields) == ["claim_ms", "claim_cpu_ms", "pipeline_ms", "pipeline_cpu_ms"]
