"""The front door's parts without a server: gunicorn's error answers as problem+json, and the
deadline on request bodies (tests/security starts the real gunicorn for the whole picture)."""
from __future__ import annotations

import json
import socket
import time
from types import SimpleNamespace

import pytest

from service.frontdoor import BodyTimeout, DeadlineReader, write_problem


def read_answer(sock: socket.socket) -> tuple[str, dict, dict]:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers, json.loads(body)


@pytest.mark.parametrize("status, reason, mesg", [
    (400, "Bad Request", "Invalid HTTP header name: '<script>'"),
    (431, "Request Header Fields Too Large", "Error parsing headers: 'limit request headers fields size'"),
    (500, "Internal Server Error", ""),
])
def test_gunicorns_own_errors_are_problems(status, reason, mesg):
    ours, theirs = socket.socketpair()
    with ours, theirs:
        write_problem(ours, status, reason, mesg)
        ours.close()
        line, headers, body = read_answer(theirs)
    assert line == f"HTTP/1.1 {status} {reason}"
    assert headers["Content-Type"] == "application/problem+json" and headers["Connection"] == "close"
    assert headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in headers
    assert body["status"] == status and body["type"].startswith("urn:lagebild:problem:")
    assert body["detail"] and "<html" not in json.dumps(body)


def test_gunicorn_uses_the_problem_writer():
    from gunicorn import util
    assert util.write_error is write_problem


class SocketBody:
    """The smallest stand-in for gunicorn's LengthReader: reads what the socket has."""

    def __init__(self, sock):
        self.sock = sock

    def read(self, size):
        return self.sock.recv(size)


def test_a_body_that_stops_arriving_is_a_408_and_closes_the_connection():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        request = SimpleNamespace(must_close=False)
        reader = DeadlineReader(SocketBody(ours), ours, request, idle=0.3, total=5)
        theirs.sendall(b'{"text":')
        assert reader.read(100) == b'{"text":'
        started = time.monotonic()
        with pytest.raises(BodyTimeout) as caught:
            reader.read(100)
        assert 0.25 < time.monotonic() - started < 2
        assert caught.value.code == 408 and request.must_close


def test_a_body_that_trickles_ends_at_the_total_deadline():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        request = SimpleNamespace(must_close=False)
        reader = DeadlineReader(SocketBody(ours), ours, request, idle=1, total=0.5)
        started = time.monotonic()
        with pytest.raises(BodyTimeout):
            while True:
                theirs.sendall(b"a")
                reader.read(1)
                time.sleep(0.1)
        assert time.monotonic() - started < 1.5 and request.must_close
