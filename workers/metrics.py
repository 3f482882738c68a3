"""The workers' Prometheus metrics: extractions by outcome, their time per stage, the text they read.

Written into the host's shared metrics folder (lagebild_core.metrics) and served by the API's
`/metrics`; `rate(lagebild_extractions_total[5m])` is the articles per second.
"""
from __future__ import annotations

from prometheus_client import Counter, Histogram

EXTRACTIONS = Counter("lagebild_extractions_total", "Extraction tasks that ended, by outcome.", ["outcome"])
EXTRACTED_CHARACTERS = Counter("lagebild_extracted_characters_total", "Characters of article text extracted.")
STAGE_SECONDS = Histogram("lagebild_extraction_stage_seconds",
                          "Time an extraction spends in each stage (parse = spaCy; actors, events, "
                          "quotes = the rules).", ["stage"],
                          buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120))
EXTRACTION_SECONDS = Histogram("lagebild_extraction_seconds", "Time of a task from its claimed jobs to their "
                               "stored versions: the pipeline and the store, once per batch.", buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180))


def observe_stage(stage: str, seconds: float) -> None:
    STAGE_SECONDS.labels(stage).observe(seconds)
