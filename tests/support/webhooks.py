"""A real HTTP receiver for webhook tests, and the Standard Webhooks check written out from the
specification (independently of lagebild_core)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time


def reference_signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` + base64(HMAC-SHA256(base64-decoded secret after `whsec_`, "{id}.{timestamp}.{body}"))."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = message_id.encode() + b"." + str(timestamp).encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


class Receiver:
    """A local HTTP server on a free port, in a thread, recording every request.

    `statuses` are answered in turn (the last one from then on); `delay` seconds pass before
    answering; `on_request(number)` runs when request `number` (1-based) arrives."""

    def __init__(self, statuses=(200,), headers=None, delay=0.0, on_request=None):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                              "body": body, "received": time.time()})
                    number = len(receiver.requests)
                    status = receiver.statuses[min(number, len(receiver.statuses)) - 1]
                if on_request:
                    on_request(number)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender is gone (a killed worker)
                    pass

            def log_message(self, *_args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verified(self, secret: str) -> list[dict]:
        """The requests whose signature checks out, each with its parsed JSON body as `event`."""
        good = []
        for request in list(self.requests):
            h = request["headers"]
            expected = reference_signature(secret, h["webhook-id"], int(h["webhook-timestamp"]), request["body"])
            if hmac.compare_digest(expected, h["webhook-signature"]):
                good.append({**request, "event": json.loads(request["body"])})
        return good

    def wait_for(self, count: int, timeout: float = 120) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.requests) >= count, f"{len(self.requests)} of {count} requests after {timeout} s"
        return self.requests

    def close(self):
        self.server.shutdown()
        self.server.server_close()
