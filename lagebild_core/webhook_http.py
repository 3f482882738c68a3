"""The wire side of webhooks: Standard Webhooks signatures, the SSRF guard, one signed POST.

Signatures follow https://www.standardwebhooks.com: the secret is `whsec_` + base64 of random
bytes; `webhook-signature` is `v1,` + base64(HMAC-SHA256(decoded secret, "{id}.{timestamp}.{body}")).

The SSRF guard refuses URLs whose host resolves to an address that is not public (loopback,
private, link-local with the cloud metadata service, multicast, reserved, shared, documentation
…), unless private addresses are allowed. It runs when a webhook is created, before each
attempt (DNS can change), and inside the connection itself: the socket connects only to an
address that was checked in that same resolution, so a DNS answer that changes between the
check and the connect (rebinding) cannot reach an internal address. Redirects are never
followed, proxies from the environment are not used.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
SCHEMES = ("http", "https")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_MAX_ERROR = 300


class DestinationRefused(ValueError):
    """A webhook URL that may not be called; `str(error)` says why."""


# --- signing -----------------------------------------------------------------------------------

def new_secret() -> str:
    """A new signing secret: `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value of one message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode("utf-8") + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


# --- the SSRF guard --------------------------------------------------------------------------------

def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address; IPv6 forms that embed an IPv4 address
    (mapped, 6to4, Teredo, NAT64) are judged by the embedded address."""
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


def checked_addresses(host: str, port: int, allow_private: bool) -> list[str]:
    """Resolve `host` and return its addresses; raise DestinationRefused when it does not resolve
    or when any address is not public (unless `allow_private`)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DestinationRefused(f"The host {host!r} cannot be resolved ({error}).") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text.split("%", 1)[0])):
                raise DestinationRefused(
                    f"The host {host!r} resolves to {text}, which is not a public address "
                    "(loopback, private, link-local, multicast and reserved ranges are refused).")
    return addresses


def check_url(url: str, allow_private: bool) -> None:
    """Raise DestinationRefused unless `url` is an http(s) URL whose host resolves to public addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise DestinationRefused(f"Not a valid URL: {error}.") from None
    if parts.scheme not in SCHEMES:
        raise DestinationRefused("Only http and https URLs can receive webhooks.")
    if not parts.hostname:
        raise DestinationRefused("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("Put no credentials in the URL: the signature authenticates each delivery.")
    checked_addresses(parts.hostname, port, allow_private)


class _CheckedConnectionMixin:
    """Connects only to addresses checked in the same resolution (no rebinding window)."""

    allow_private = False

    def _new_conn(self):
        try:
            addresses = checked_addresses(self._dns_host, self.port, self.allow_private)
        except DestinationRefused as error:
            raise NewConnectionError(self, str(error)) from None
        host, last_error = self._dns_host, None
        try:
            for address in addresses:
                self._dns_host = address
                try:
                    return super()._new_conn()
                except NewConnectionError as error:  # try the host's next address
                    last_error = error
            raise last_error
        finally:
            self._dns_host = host


@cache
def _adapter_pools(allow_private: bool) -> dict:
    """The pool classes of a checked adapter, one set per policy (classes carry the policy)."""
    policy = {"allow_private": allow_private}
    http = type("CheckedHTTPConnection", (_CheckedConnectionMixin, HTTPConnection), policy)
    https = type("CheckedHTTPSConnection", (_CheckedConnectionMixin, HTTPSConnection), policy)
    return {"http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https})}


class _CheckedAdapter(HTTPAdapter):
    def __init__(self, allow_private: bool):
        self._pools = _adapter_pools(allow_private)
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools


# --- one attempt --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What one attempt got: an HTTP status, or an error instead."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post_signed(url: str, secret: str, message_id: str, body: bytes, *, timeout: float,
                allow_private: bool) -> Outcome:
    """POST `body` to `url` signed as message `message_id`; never raises, never follows redirects.
    `timeout` bounds connecting and each read; the response body is not read."""
    started = time.monotonic()

    def outcome(status_code: int | None, error: str | None) -> Outcome:
        return Outcome(status_code, error and error[:_MAX_ERROR], round((time.monotonic() - started) * 1000))

    try:
        check_url(url, allow_private)
        timestamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": "Lagebild-Webhooks/1",
                   "webhook-id": message_id, "webhook-timestamp": str(timestamp),
                   "webhook-signature": sign(secret, message_id, timestamp, body)}
        with requests.Session() as http:
            http.trust_env = False  # no proxies or .netrc from the environment
            http.mount("http://", _CheckedAdapter(allow_private))
            http.mount("https://", _CheckedAdapter(allow_private))
            response = http.post(url, data=body, headers=headers, timeout=(timeout, timeout),
                                 allow_redirects=False, stream=True)
            response.close()
    except DestinationRefused as error:
        return outcome(None, str(error))
    except requests.Timeout:
        return outcome(None, f"No answer within {timeout:g} s.")
    except requests.RequestException as error:
        return outcome(None, f"{type(error).__name__}: {error}")
    code = response.status_code
    return outcome(code, None if 200 <= code < 300 else f"HTTP {code} (a 2xx status is expected).")
