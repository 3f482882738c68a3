"""Schemathesis hooks for the contract test (loaded through SCHEMATHESIS_HOOKS).

Two rules depend on more than one request parameter, which OpenAPI 3.0 cannot state, so valid
generated requests are kept inside them (the service's 422s for both are tested in tests/api):
- `from` after `to` is an empty range: generated queries keep `from` ≤ `to`;
- an `Idempotency-Key` that was used with another body is a 422 (as the IETF idempotency draft
  says): a schema-valid key is replaced by a fresh one, so that two generated bodies never share
  a key by chance; invalid keys are left as generated, to be rejected.
A webhook URL must resolve to public addresses when it is subscribed (a DNS lookup, which no
schema can state; there is no DNS here): valid generated subscriptions get a URL with a literal
public address instead of their name.
And one rule that a `format: binary` part cannot state: an uploaded article (multipart `file`) must
be UTF-8 text with a visible character, so valid generated uploads are kept to such text.
"""
from __future__ import annotations

import re
import uuid

import schemathesis
from schemathesis.core.parameters import ParameterLocation

from service.resources.common import NOT_BLANK

VALID_KEY = re.compile(r"[!-~]{1,255}")


# Case hooks: unlike the query and header hooks, they also apply to the coverage phase's cases.
@schemathesis.hook
def filter_case(ctx, case) -> bool:
    query = case.query or {}  # a mapping, not always a dict
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str) and start > end:
        return False
    if (case.media_type or "").startswith("multipart/") and isinstance(case.body, dict) \
            and case.meta is not None and not case.meta.is_negative_at(ParameterLocation.BODY):
        return _is_text(case.body.get("file"))
    return True


def _is_text(upload) -> bool:
    if isinstance(upload, bytes):
        try:
            upload = upload.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return isinstance(upload, str) and re.match(NOT_BLANK, upload) is not None


PUBLIC_RECEIVER = "https://93.184.215.14/lagebild"  # a global address, written as such: nothing to resolve


def _with_public_receiver(case) -> None:
    if case.method == "POST" and case.path == "/v1/webhooks" and isinstance(case.body, dict) \
            and (case.meta is None or not case.meta.is_negative_at(ParameterLocation.BODY)):
        case.body = {**case.body, "url": PUBLIC_RECEIVER}


@schemathesis.hook
def before_add_examples(ctx, examples) -> None:
    for case in examples:
        _with_public_receiver(case)


@schemathesis.hook
def map_case(ctx, case):
    _with_public_receiver(case)
    headers = case.headers or {}
    if isinstance(headers.get("Idempotency-Key"), str) and VALID_KEY.fullmatch(headers["Idempotency-Key"]):
        case.headers = {**dict(headers), "Idempotency-Key": uuid.uuid4().hex}
    return case
