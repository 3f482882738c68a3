"""The front door: the gunicorn worker class that slow or broken clients cannot block.

`lagebild serve` (the embedded default, the Dockerfile and docker-compose.yml alike) runs
gunicorn with service/gunicorn_conf.py, which names `Worker` below. Why this design is in
docs/security.md ("Slow clients"); in short:

- **gevent**: every connection is a greenlet, so a client that trickles its headers or its body
  waits in its own greenlet and holds no worker process; 1,000 connections per process
  (`worker_connections`). The API itself does no heavy work (the extraction runs in the Celery
  workers); its waits on PostgreSQL (psycopg detects gevent), Redis and the network yield.
- **headers** must be complete `keepalive` seconds (5) after the connection opened or the
  previous answer went out, else the connection is closed (gunicorn's gevent worker reads the
  request head inside a `gevent.Timeout(keepalive)`).
- **bodies** must keep arriving (no pause of `BODY_IDLE_SECONDS`) and be complete within
  `BODY_TOTAL_SECONDS`; else the request ends with a 408 problem and the connection is closed.
  A body shorter than its Content-Length thus costs one greenlet for 10 s, not a worker for 30 s.
- **answers** to a client that stops reading give up after `SEND_TIMEOUT_SECONDS`.
- **gunicorn's own error pages** (400, 414, 431, 500, ...) are problem+json, not HTML.
"""
from __future__ import annotations

import json
import time

import gevent
from gunicorn import util
from gunicorn.glogging import Logger as GunicornLogger
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.exceptions import RequestTimeout

from lagebild_core.exceptions import PROBLEM_TYPE_BASE

BODY_IDLE_SECONDS = 10.0
BODY_TOTAL_SECONDS = 60.0
SEND_TIMEOUT_SECONDS = 30.0
SECURITY_HEADERS = ("X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
                    "X-Frame-Options: DENY\r\nContent-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n")


class BodyTimeout(RequestTimeout):
    description = (f"The request body did not arrive in time (a pause of {BODY_IDLE_SECONDS:.0f} s, or "
                   f"more than {BODY_TOTAL_SECONDS:.0f} s in all); send it at once and as long as its "
                   f"Content-Length says.")


class DeadlineReader:
    """Wraps the reader of a gunicorn request body: each read may wait at most until the next
    byte is `idle` seconds late or the whole body is `total` seconds late; then it raises a 408
    (an HTTPException: werkzeug passes it through, the app answers it as a problem) and marks
    the request so that gunicorn closes the connection (the rest of the body is never read)."""

    def __init__(self, reader, sock, req, idle: float = BODY_IDLE_SECONDS, total: float = BODY_TOTAL_SECONDS):
        self.reader, self.sock, self.req, self.idle = reader, sock, req, idle
        self.deadline = time.monotonic() + total

    def read(self, size):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self._fail()
        self.sock.settimeout(min(self.idle, remaining))
        try:
            return self.reader.read(size)
        except TimeoutError:  # socket.timeout
            self._fail()
        finally:
            self.sock.settimeout(SEND_TIMEOUT_SECONDS)

    def _fail(self):
        self.req.must_close = True
        raise BodyTimeout()


class Worker(GeventWorker):
    """gunicorn's gevent worker with a deadline on request bodies and on sending answers."""

    def handle_request(self, listener_name, req, sock, addr):
        if getattr(req, "body", None) is not None:
            req.body.reader = DeadlineReader(req.body.reader, sock, req)
        sock.settimeout(SEND_TIMEOUT_SECONDS)
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            try:
                sock.settimeout(None)  # the next request head is timed by gevent.Timeout(keepalive)
            except OSError:
                pass
            # Let the other connections have their turn: a keep-alive connection whose next request
            # has already arrived is read without blocking, so without this yield a few busy
            # connections kept the process to themselves while the rest waited (wrk, 16
            # connections, one process: p50 0.7 ms but p99 1.5 s).
            gevent.sleep(0)


class Logger(GunicornLogger):
    """gunicorn's logger without its per-request access hook. The app writes the access lines
    (service/observability.py) and gunicorn's own are never written (service/gunicorn_conf.py:
    `accesslog = None`, the `gunicorn.access` logger at WARNING without handlers), but because that
    file sets `logconfig_dict`, gunicorn counted its access log as on and built, for every request,
    the line's fields from all request headers, response headers and environ entries, only to have
    the logger drop it (about a tenth of a request's CPU under cProfile)."""

    def access(self, resp, req, environ, request_time):
        pass


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's error answer (util.write_error) as application/problem+json."""
    slug = "internal-error" if status_int == 500 else reason.lower().replace(" ", "-").replace("'", "")
    detail = mesg or ("The server failed to answer this request; it has been logged." if status_int >= 500
                      else reason)
    body = json.dumps({"type": PROBLEM_TYPE_BASE + slug, "title": reason, "status": status_int,
                       "detail": detail}, ensure_ascii=True).encode("ascii")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n"
            f"{SECURITY_HEADERS}\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


# every gunicorn worker answers its own errors through util.write_error; this module is loaded
# only in gunicorn processes (the worker class), so the replacement reaches nothing else
util.write_error = write_problem
