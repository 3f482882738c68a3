"""Other representations of list endpoints: content negotiation, streamed CSV and GeoJSON.

A list endpoint offers JSON pages and, by `Accept`, whole exports: `text/csv` (one row per item)
or `application/geo+json` (a FeatureCollection). An export walks *all* pages of the same query
(the same filters; `limit` and `cursor` are ignored), EXPORT_PAGE items per database round
trip, each page in a short session of its own, and streams them as they come: memory stays
bounded and no connection is held while a slow client reads. The first page is read before
the answer starts, so an invalid filter is still a 422 problem, not a broken download.

Usage in a view:

    kind = negotiate(JSON, CSV)
    if kind == CSV:
        return csv_response(COLUMNS, walk(fetch, render_rows), "quotes.csv")
"""
from __future__ import annotations

import csv
import io
import itertools
import json
from typing import Callable, Iterable, Iterator, Sequence

from flask import Response, after_this_request, request, stream_with_context
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotAcceptable

from service.http import db

JSON = "application/json"
CSV = "text/csv"
GEOJSON = "application/geo+json"
EXPORT_PAGE = 500
_FLUSH_BYTES = 64 * 1024
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def negotiate(*offered: str) -> str:
    """Return the media type of `offered` that the request's `Accept` prefers (the first one
    when there is no `Accept` or it takes anything); raise 406 when it takes none of them. The
    answer says `Vary: Accept`: a cache must not hand the CSV to a client that asked for JSON."""
    after_this_request(_vary_by_accept)
    if not request.accept_mimetypes:
        return offered[0]
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        raise NotAcceptable(f"This resource is available as {', '.join(offered)}; "
                            f"the Accept header ({request.headers.get('Accept')}) takes none of them.")
    return best


def _vary_by_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def walk(fetch: Callable[[Session, str | None, int], tuple[list, str | None]],
         render: Callable[[Session, list], Iterable]) -> Iterator:
    """Yield `render(session, items)` for every page of a listing, from the first to the last.

    `fetch(session, cursor, limit)` returns one page and the next cursor (the domain's list
    functions with the request's filters bound). The first page is read now, with the request's
    session (raising the domain's errors before any byte is sent); the others when the
    consumer gets to them."""
    session = db().session
    items, cursor = fetch(session, None, EXPORT_PAGE)
    first = list(render(session, items))

    def rest() -> Iterator:
        yield from first
        after = cursor
        while after is not None:
            with db().sessions() as page_session:
                items, after = fetch(page_session, after, EXPORT_PAGE)
                rendered = list(render(page_session, items))
            yield from rendered
    return rest()


def _cell(value) -> str:
    """A CSV cell: None is empty, lists are joined by "; ", and text a spreadsheet would run as
    a formula gets a leading apostrophe (OWASP's CSV injection advice)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _chunks(parts: Iterable[str]) -> Iterator[str]:
    """Join small strings into chunks of about _FLUSH_BYTES, so the stream is not byte by byte."""
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= _FLUSH_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _download(body: Iterator[str], media_type: str, filename: str) -> Response:
    response = Response(stream_with_context(_chunks(body)), mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(columns: Sequence[str], rows: Iterable[Sequence], filename: str) -> Response:
    """Stream `rows` as RFC 4180 CSV (UTF-8, a header row of `columns`, CRLF line ends)."""
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for values in itertools.chain([list(columns)], ([_cell(v) for v in row] for row in rows)):
            writer.writerow(values)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    response = _download(lines(), CSV, filename)
    response.headers["Content-Type"] = f"{CSV}; charset=utf-8; header=present"
    return response


def geojson_response(features: Iterable[dict], filename: str) -> Response:
    """Stream `features` (GeoJSON Feature objects) as one RFC 7946 FeatureCollection."""
    def parts() -> Iterator[str]:
        yield '{"type":"FeatureCollection","features":['
        for number, feature in enumerate(features):
            yield ("," if number else "") + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        yield "]}"
    return _download(parts(), GEOJSON, filename)


def export(kind: str, fetch, name: str, columns: Sequence[str], rows, features=None) -> Response | None:
    """The CSV or GeoJSON answer of a listing for the negotiated `kind` (None for JSON): `rows(session,
    items)` renders CSV rows of `columns`, `features(session, items)` GeoJSON features; both over every
    page that `fetch` (see `walk`) gives. `name` names the downloaded file."""
    if kind == CSV:
        return csv_response(columns, walk(fetch, rows), f"{name}.csv")
    if kind == GEOJSON and features is not None:
        return geojson_response(walk(fetch, features), f"{name}.geojson")
    return None


def point_feature(longitude: float, latitude: float, properties: dict) -> dict:
    """A GeoJSON Point feature; coordinates in RFC 7946 order: longitude, then latitude."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": properties}


def alternatives(csv_columns: Sequence[str], csv_example: Sequence, geojson_schema=None,
                 geojson_example: dict | None = None) -> dict:
    """`blp.doc` arguments adding the export media types to an operation's 200 response (the
    JSON page stays what `@blp.response` documents); `csv_example` is one row's values."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([list(csv_columns), [_cell(v) for v in csv_example]])
    content = {CSV: {"schema": {"type": "string", "description": (
        "All items matching the filters (every page), one row each after a header row with the columns "
        + ", ".join(f"`{c}`" for c in csv_columns) + ".")}, "example": buffer.getvalue()}}
    if geojson_schema is not None:
        content[GEOJSON] = {"schema": geojson_schema, "example": geojson_example}
    return {"responses": {200: {"content": content}}}  # int: the key @blp.response uses
