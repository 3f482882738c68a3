"""/v1/quotes: the quotes of every article's latest extraction, filtered and paginated, or exported."""
from __future__ import annotations

from flask_smorest import Blueprint

from lagebild_core import actors, quotes
from service import exports
from service.api import operation, problems
from service.http import db, json_response, next_link, tenant, version_links
from service.resources.quotes import examples
from service.resources.quotes.schemas import QuoteListArgsSchema, QuotePageSchema

blp = Blueprint("quotes", __name__, url_prefix="/v1",
                description="Quotes across articles: who said what, to whom, when it was published.")

CSV_COLUMNS = ("article_id", "version", "published_at", "quote_id", "kind", "text", "start", "end", "cue",
               "speaker_text", "speaker_id", "speaker_name", "addressee_id", "addressee_name")


def _actor(global_id: str | None, names: dict[str, str]) -> dict | None:
    return {"id": global_id, "name": names.get(global_id)} if global_id else None


def quote_body(record, names: dict[str, str]) -> dict:
    """The JSON representation of one indexed quote; `names` maps global ids to registry names."""
    speaker = None
    if record.speaker_text is not None or record.speaker_global_id:
        speaker = {"text": record.speaker_text or "", "actor": _actor(record.speaker_global_id, names)}
    return {
        "article_id": record.article_id,
        "version": record.version,
        "published_at": record.published_at and record.published_at.isoformat(),
        "quote_id": record.quote_id,
        "kind": record.kind,
        "text": record.text,
        "start": record.text_start,
        "end": record.text_end,
        "cue": record.cue,
        "speaker": speaker,
        "addressee": _actor(record.addressee_global_id, names),
        "links": version_links(record.article_id, record.version),
    }


def _names(session, records) -> dict[str, str]:
    return actors.names(session, {r.speaker_global_id for r in records} | {r.addressee_global_id for r in records},
                        tenant=tenant())


def _csv_rows(session, records):
    names = _names(session, records)
    for r in records:
        yield (r.article_id, r.version, r.published_at and r.published_at.isoformat(), r.quote_id, r.kind, r.text,
               r.text_start, r.text_end, r.cue, r.speaker_text, r.speaker_global_id, names.get(r.speaker_global_id),
               r.addressee_global_id, names.get(r.addressee_global_id))


@blp.route("/quotes", methods=["GET"])
@operation(blp, "list_quotes", "List quotes across articles, newest first",
           **exports.alternatives(CSV_COLUMNS, examples.CSV_ROW))
@blp.arguments(QuoteListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, QuotePageSchema, example=examples.PAGE)
@problems(blp, 406, 422)
def list_quotes(limit, cursor, **filters):
    """The quotes of each article's latest extraction. Filter by speaker (global id or name),
    addressee, text, kind, publication date and article. With `Accept: text/csv`, every quote
    that matches (all pages) as CSV, streamed."""
    kind = exports.negotiate(exports.JSON, exports.CSV)

    def fetch(session, after, size):
        return quotes.list_quotes(session, tenant=tenant(), limit=size, cursor=after, **filters)

    download = exports.export(kind, fetch, "quotes", CSV_COLUMNS, _csv_rows)
    if download is not None:
        return download
    session = db().session
    records, next_cursor = quotes.list_quotes(session, tenant=tenant(), limit=limit, cursor=cursor, **filters)
    names = _names(session, records)
    query = {"from" if k == "date_from" else "to" if k == "date_to" else k: v.isoformat() if hasattr(v, "isoformat")
             else v for k, v in filters.items()}
    return json_response({
        "items": [quote_body(r, names) for r in records],
        "next_cursor": next_cursor,
        "next": next_link("quotes.list_quotes", next_cursor, limit=limit, **query),
    })
