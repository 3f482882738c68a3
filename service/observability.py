"""Request ids, one JSON access-log line per request, and Prometheus metrics at `/metrics`.

Every request gets an id (the client's `X-Request-Id` when it is a sane token, else a new one),
returned in `X-Request-Id`, bound to every log line written while the request runs, and sent with
each extraction message so that the worker's lines carry it too (lagebild_core.logs).

`/metrics` (open, like the probes: it gives numbers, never tenant names or content) shows the
requests by route, method and status and their latencies from every API process, the workers'
extraction metrics (workers/metrics.py) when they run on this host, and, read at each scrape,
the jobs by state and the queue depth.
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from lagebild_core import domain, logs, metrics
from lagebild_core.queue import queue_depth

access = logging.getLogger("lagebild.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("lagebild_http_requests_total", "HTTP requests answered, by route, method and status.",
                   ["route", "method", "status"])
LATENCY = Histogram("lagebild_http_request_duration_seconds", "Time from a request's start to its answer.",
                    ["route", "method"],
                    buckets=(0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def request_id() -> str | None:
    """The current request's id."""
    return g.get("request_id")


def _start() -> None:
    g.started = time.perf_counter()
    presented = request.headers.get("X-Request-Id", "")
    g.request_id = presented if _REQUEST_ID.match(presented) else uuid.uuid4().hex
    g.log_context = logs.context(request_id=g.request_id)
    g.log_context.__enter__()


_children: dict[tuple[str, str, str], tuple] = {}  # (route, method, status) -> their two metric children


def _metrics(route: str, method: str, status: str) -> tuple:
    """The request counter and latency histogram of these labels (`labels()` is looked up once:
    it costs more than counting)."""
    found = _children.get((route, method, status))
    if found is None:
        found = _children[(route, method, status)] = (REQUESTS.labels(route, method, status),
                                                      LATENCY.labels(route, method))
    return found


def _finish(response: Response) -> Response:
    rule = request.url_rule
    route = rule.rule if rule is not None else "(unmatched)"
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    method, status = request.method, response.status_code
    counter, latency = _metrics(route, method, str(status))
    counter.inc()
    latency.observe(elapsed)
    response.headers.add("X-Request-Id", g.get("request_id", ""))  # nothing else sets it; `add` skips a scan
    if access.isEnabledFor(logging.INFO):
        principal = g.get("principal")
        path = request.path
        access.info("%s %s %s", method, path, status, extra={
            "method": method, "path": path, "route": route, "status": status,
            "duration_ms": round(elapsed * 1000, 2), "tenant": principal.tenant if principal else None})
    return response


def _end_context(_error=None) -> None:
    context = g.pop("log_context", None)
    if context is not None:
        context.__exit__(None, None, None)


class _StateCollector:
    """Jobs by state (from the database) and messages waiting in the queue (from the broker),
    read when Prometheus scrapes."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        jobs = GaugeMetricFamily("lagebild_jobs", "Jobs in each state, every tenant.", labels=["status"])
        with self.app.extensions["lagebild_db"].transaction() as session:
            for status, count in domain.job_counts(session).items():
                jobs.add_metric([status], count)
        yield jobs
        depth = GaugeMetricFamily("lagebild_queue_depth", "Extraction messages waiting in the broker.")
        try:
            depth.add_metric([], queue_depth(self.app.extensions["lagebild_queue"]))
        except Exception:  # broker down: no sample rather than a failed scrape (readyz reports it)
            pass
        yield depth


def metrics_view() -> Response:
    state = CollectorRegistry()  # read per scrape; registering describes nothing (auto_describe off)
    state.register(_StateCollector(current_app._get_current_object()))
    return Response(generate_latest(metrics.registry()) + generate_latest(state), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    # A record need not gather what no formatter of ours writes (lagebild_core.logs: JSON or text
    # lines without thread, process or source location): the "Optimization" section of Python's
    # logging HOWTO. Only in the API process: Celery's own log lines name the process.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_end_context)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
