"""Security headers on every answer, and CORS only for the origins `LAGEBILD_CORS_ORIGINS` lists.

The API answers JSON to programs; browsers reach it only through /docs (Swagger UI from local
files), the analyst's view (/ui/) and web apps an operator allows by origin. So: no content
sniffing, no referrers, no framing, a Content-Security-Policy that lets HTML pages load only this
service's own files (/ui/ not even inline scripts or styles) and every other answer load nothing;
and no `Server` version.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Swagger UI's page starts itself with an inline script and styles; everything else is local
HTML_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
# the analyst's view (service/ui) is built to run without anything inline
UI_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
             "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match"
CORS_EXPOSED = ("Location, Operation-Location, Retry-After, ETag, Content-Location, Idempotent-Replayed, "
                "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy")


def _allowed_origin() -> str | None:
    origin = request.headers.get("Origin")
    allowed = current_app.config["LAGEBILD"].cors_origin_list
    return origin if origin and (origin in allowed or "*" in allowed) else None


def _preflight() -> Response | None:
    """Answer a CORS preflight of an allowed origin before authentication (it carries no key)."""
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    response = Response(status=204)
    if _allowed_origin():
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE"
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def _secure(response: Response) -> Response:
    present = {name.lower() for name, _ in response.headers}  # one scan (each setdefault is one)
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in present:
            response.headers.add(name, value)
    if "content-security-policy" not in present:
        if request.path.startswith("/ui/"):
            policy = UI_POLICY
        else:
            policy = HTML_POLICY if response.mimetype == "text/html" else API_POLICY
        response.headers.add("Content-Security-Policy", policy)
    origin = _allowed_origin()
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
    if "vary" in present:
        response.vary.add("Origin")
    else:  # as the line above writes it, without parsing and re-writing an absent header
        response.headers.add("Vary", "Origin")
    return response


def init_app(app: Flask) -> None:
    app.before_request(_preflight)
    app.after_request(_secure)
