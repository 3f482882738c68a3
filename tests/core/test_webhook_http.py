"""Webhooks on the wire: Standard Webhooks signatures, the SSRF guard, one signed POST to a real
local receiver (redirects not followed, timeouts and refusals reported, never raised)."""
from __future__ import annotations

import base64
import ipaddress
import socket
import time

import pytest

from lagebild_core import webhook_http
from lagebild_core.settings import Settings, parse_backoff
from lagebild_core.webhook_http import DestinationRefused, check_url, is_public, new_secret, post_signed, sign
from tests.support.webhooks import Receiver, reference_signature

# The example of the Standard Webhooks specification and its reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


# --- signing ------------------------------------------------------------------------------------

def test_signature_matches_the_specification_example():
    assert reference_signature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_signature_of_a_utf8_body_with_a_new_secret_matches_the_formula():
    secret = new_secret()
    body = '{"type":"extraction.created","data":{"titel":"Außenminister"}}'.encode("utf-8")
    assert sign(secret, "msg_1", 1700000000, body) == reference_signature(secret, "msg_1", 1700000000, body)


@pytest.mark.parametrize("changed", [
    {"body": SPEC_BODY.replace(b"2", b"3")}, {"timestamp": SPEC_TIMESTAMP + 1}, {"message_id": SPEC_ID + "x"},
    {"secret": "whsec_" + base64.b64encode(b"another key of 24 bytes!").decode()},
])
def test_any_change_gives_another_signature(changed):
    args = {"secret": SPEC_SECRET, "message_id": SPEC_ID, "timestamp": SPEC_TIMESTAMP, "body": SPEC_BODY}
    assert sign(**(args | changed)) != SPEC_SIGNATURE


def test_new_secrets_are_whsec_and_at_least_24_random_bytes():
    secrets = {new_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24


# --- the SSRF guard -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://127.1.2.3:8080/", "http://10.0.0.1/", "http://10.255.1.2/",
    "http://172.16.5.4/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/", "http://[fd00:ec2::254]/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/",
    "http://0.0.0.0/", "http://100.64.0.1/", "http://224.0.0.1/", "http://240.0.0.1/",
    "http://localhost:8000/hook", "https://localhost/",
])
def test_non_public_destinations_are_refused(url):
    with pytest.raises(DestinationRefused, match="not a public address"):
        check_url(url, allow_private=False)


@pytest.mark.parametrize("url, reason", [
    ("ftp://example.org/", "http and https"), ("file:///etc/passwd", "http and https"),
    ("gopher://127.0.0.1/", "http and https"), ("http:///path", "no host"),
    ("http://user:pw@127.0.0.1/", "credentials"), ("http://127.0.0.1:99999/", "valid URL"),
    ("http://no-such-host.invalid/", "cannot be resolved"),
])
def test_malformed_or_unresolvable_urls_are_refused(url, reason):
    with pytest.raises(DestinationRefused, match=reason):
        check_url(url, allow_private=True)


def test_private_destinations_pass_when_allowed():
    check_url("http://127.0.0.1:9/hook", allow_private=True)
    check_url("http://localhost/", allow_private=True)


def test_public_addresses_pass(monkeypatch):
    def resolve(host, port, **_kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    check_url("https://receiver.example/hook", allow_private=False)


def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    def resolve(host, port, **_kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(DestinationRefused, match="10.1.2.3"):
        check_url("https://receiver.example/hook", allow_private=False)


@pytest.mark.parametrize("address, public", [
    ("8.8.8.8", True), ("2606:4700::1111", True), ("::ffff:8.8.8.8", True),
    ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
    ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
    ("ff02::1", False), ("fd00:ec2::254", False), ("192.0.2.1", False),
])
def test_embedded_and_special_addresses(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


# --- one signed POST to a real receiver ---------------------------------------------------------

@pytest.fixture
def receiver_factory():
    made = []

    def make(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]
    yield make
    for receiver in made:
        receiver.close()


def test_a_signed_post_carries_the_standard_headers(receiver_factory):
    receiver = receiver_factory()
    secret = new_secret()
    outcome = post_signed(receiver.url + "/hook", secret, "msg_abc", b'{"a":1}', timeout=5, allow_private=True)
    assert outcome.succeeded and outcome.status_code == 200 and outcome.error is None
    request = receiver.requests[0]
    path, headers, body = request["path"], request["headers"], request["body"]
    assert path == "/hook" and body == b'{"a":1}' and headers["content-type"] == "application/json"
    assert headers["webhook-id"] == "msg_abc"
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    assert headers["webhook-signature"] == reference_signature(secret, "msg_abc", int(headers["webhook-timestamp"]),
                                                               body)


def test_redirects_are_not_followed(receiver_factory):
    target = receiver_factory()
    redirecting = receiver_factory(statuses=[307], headers={"Location": target.url + "/elsewhere"})
    outcome = post_signed(redirecting.url, new_secret(), "msg_r", b"{}", timeout=5, allow_private=True)
    assert not outcome.succeeded and outcome.status_code == 307 and "HTTP 307" in outcome.error
    assert target.requests == []


def test_a_slow_receiver_times_out(receiver_factory):
    receiver = receiver_factory(delay=3)
    outcome = post_signed(receiver.url, new_secret(), "msg_t", b"{}", timeout=0.5, allow_private=True)
    assert outcome.status_code is None and "No answer within 0.5 s" in outcome.error


def test_a_private_receiver_is_refused_at_send_time_without_a_request(receiver_factory):
    receiver = receiver_factory()
    outcome = post_signed(receiver.url, new_secret(), "msg_p", b"{}", timeout=5, allow_private=False)
    assert outcome.status_code is None and "not a public address" in outcome.error
    assert receiver.requests == []


def test_the_connection_itself_refuses_a_private_address(receiver_factory, monkeypatch):
    """A DNS answer that turns private after the check (rebinding) is refused when connecting."""
    receiver = receiver_factory()
    monkeypatch.setattr(webhook_http, "check_url", lambda url, allow_private: None)
    outcome = post_signed(receiver.url, new_secret(), "msg_q", b"{}", timeout=5, allow_private=False)
    assert outcome.status_code is None and "not a public address" in outcome.error
    assert receiver.requests == []


def test_nothing_listening_is_an_error_not_an_exception():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = post_signed(f"http://127.0.0.1:{port}/", new_secret(), "msg_c", b"{}", timeout=2, allow_private=True)
    assert outcome.status_code is None and "ConnectionError" in outcome.error


# --- the backoff setting ------------------------------------------------------------------------

def test_backoff_schedule_default_and_custom():
    assert Settings().webhook_backoff == (5, 30, 120, 600, 3600, 14400)
    assert Settings(webhook_backoff_seconds="1, 1,1").webhook_backoff == (1, 1, 1)
    for bad in ("", "a,b", "-1", "5,,x"):
        with pytest.raises(ValueError):
            parse_backoff(bad)
