"""/healthz and /readyz: liveness of the process, readiness of its dependencies."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields

from service.api import alternative, operation
from service.http import db, json_response
from service.queue import queue

blp = Blueprint("health", __name__, description="Liveness and readiness probes.")


class HealthSchema(ma.Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    checks = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "example": {"database": "ok", "broker": "ok"}})


@blp.route("/healthz", methods=["GET"])
@operation(blp, "get_health", "Is the process alive?", public=True)
@blp.response(200, HealthSchema, example={"status": "ok"})
def healthz():
    """Answers as long as the process serves requests; checks no dependency."""
    return json_response({"status": "ok"})


@blp.route("/readyz", methods=["GET"])
@operation(blp, "get_readiness", "Can the service take work?", public=True)
@blp.response(200, HealthSchema, example={"status": "ok", "checks": {"database": "ok", "broker": "ok"}})
@alternative(blp, 503, schema=HealthSchema, description="A dependency is down.",
             example={"status": "unavailable", "checks": {"database": "ok", "broker": "error: refused"}},
             headers={"Retry-After": {"schema": {"type": "integer"}}})
def readyz():
    """Checks that the database and the broker answer."""
    checks = {"database": _check(db().ping), "broker": _check(queue.ping)}
    ready = all(value == "ok" for value in checks.values())
    return json_response({"status": "ok" if ready else "unavailable", "checks": checks},
                         200 if ready else 503, {} if ready else {"Retry-After": "5"})


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:  # report any failure of the probe, not crash the probe
        return f"error: {type(error).__name__}: {str(error)[:200]}"
    return "ok"
