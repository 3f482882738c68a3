"""States, organisations, groups and places: found by the gazetteer first, the recognizer second.

`gazetteer_spans` reads every state name, genitive, capital, seat, organisation and group the
gazetteer knows; `capital_acts` decides whether a capital stands for its state ("Peking
erklärte", "zwischen Moskau und Peking") or is a place ("in Peking"); `institution_spans` finds
national institutions written with their country ("das chinesische Verteidigungsministerium");
`appositive_organisations` reads the organisation a class noun names ("die Zeitung Danas").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from lagebild_core import gazetteer
from workers.pipeline.actors import lexicon
from workers.pipeline.actors.roles import state_genitive
from workers.pipeline.document import TokenTable, token_table
from workers.pipeline.quoted import quote_pairs

MAX_FORM_TOKENS = 6
STATE_FORM_TYPES = ("name", "official", "variant", "genitive")


@dataclass
class EntityHit:
    """A gazetteer hit: tokens [start, end), the actor kind, a grouping id, name and country."""

    start: int
    end: int
    kind: str
    id: str
    name: str
    country: str | None


def _capitalised(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit()


def _pick(entries: list[gazetteer.Entry]) -> gazetteer.Entry | None:
    """Return the entry a form stands for as an actor: a state or territory before an
    organisation before a group; None for adjectives and demonyms alone."""
    useful = [e for e in entries if e.type not in ("adjective", "demonym")]
    for kinds in (("state", "location"), ("organization",), ("group",)):
        hits = [e for e in useful if e.actor_kind in kinds]
        if len({e.id for e in hits}) == 1:
            return hits[0]
    return None


def capital_acts(doc: Doc, start: int) -> bool:
    """Return True when a capital at token `start` stands for its state rather than a place.

    A place is a capital after a locative preposition ("in Peking", "nach Moskau") or, with a
    parser, one attached as a locative modifier; anything else is the state acting.
    """
    if _dateline(doc, start):
        return False  # "Teheran – Die Polizei hat …": where the report comes from
    if start == 0:
        return True
    prev = doc[start - 1].text.lower()
    locative, articles = lexicon.word_class("locative_preposition"), lexicon.word_class("definite_article")
    if prev in locative:
        return False
    if prev in articles and start > 1 and doc[start - 2].text.lower() in locative:
        return False
    return True


def _dateline(doc: Doc, start: int) -> bool:
    """Return True for a place opening a line and followed by a dash or "(dpa)" ("Teheran – …")."""
    opens_line = start == 0 or "\n" in doc[start - 1].text or "\n" in doc[start - 1].whitespace_
    nxt = doc[start + 1].text if start + 1 < len(doc) else ""
    return opens_line and nxt in ("–", "—", "-", "(")


def _may_open_form(text: str) -> bool:
    """Return True if a gazetteer form can start with `text`: capitalised, or a lower-case group
    form ("westliche Staaten")."""
    return _capitalised(text) or text.startswith(_group_openings())


@lru_cache(maxsize=1)
def _group_openings() -> tuple[str, ...]:
    return tuple(lexicon.word_class("group_opening"))


def _form_at(table: TokenTable, i: int, n: int) -> gazetteer.Entry | None:
    """Return the gazetteer entry for tokens [i, i+n) when they are a capitalised form (or a
    lower-case group form: "westliche Staaten") without punctuation, else None."""
    form = table.span_text(i, i + n)
    if not _may_open_form(form):
        return None
    if form.lower().split()[0] in lexicon.word_class("definite_article") \
            or any(table.is_space[k] or table.words[k] in ".,;:!?" for k in range(i, i + n)):
        return None
    return _pick(gazetteer.lookup(form))


def _longest_beginning(table: TokenTable, start: int, most: int, head: str = "") -> int:
    """Return the largest n <= `most` for which `head` + tokens [start, start+n) begin a
    gazetteer form (0 if none): no longer span from `start` can be a form (`begins_form`)."""
    n = 0
    while n < most and gazetteer.begins_form(head + table.span_text(start, start + n + 1)):
        n += 1
    return n


def gazetteer_spans(doc: Doc) -> list[EntityHit]:
    """Return the longest gazetteer forms in the document, left to right, without overlaps."""
    found: list[EntityHit] = []
    table = token_table(doc)
    words, size = table.words, len(table.words)
    articles = lexicon.word_class("definite_article")
    i = 0
    while i < size:
        hit = None
        most = _longest_beginning(table, i, min(MAX_FORM_TOKENS, size - i)) if _may_open_form(words[i]) else 0
        for n in range(most, 0, -1):
            entry = _form_at(table, i, n)
            if entry is not None:
                hit = (n, entry)
                break
        if hit is None and words[i].lower() in articles:
            most = _longest_beginning(table, i + 1, min(MAX_FORM_TOKENS, size - i - 1), "der ")
            for n in range(most, 0, -1):
                if any(table.is_space[k] or words[k] in ".,;:!?" for k in range(i + 1, i + 1 + n)) \
                        or not _capitalised(table.span_text(i + 1, i + 1 + n)):
                    continue
                entry = _pick(gazetteer.lookup("der " + table.span_text(i + 1, i + 1 + n)))
                if entry is not None:
                    i += 1  # the mention without its determiner
                    hit = (n, entry)
                    break
        if hit is None:
            i += 1
            continue
        n, entry = hit
        kind, ident, country, name = entry.actor_kind, entry.id, entry.country, entry.name
        if entry.type in ("capital",) and not capital_acts(doc, i):
            kind, ident = "location", "LOC:" + entry.form
            name, country = table.span_text(i, i + n), entry.country
        found.append(EntityHit(i, i + n, kind, ident, name, country))
        i += n
    return found


@lru_cache(maxsize=None)
def genitive_name(alpha3: str) -> str:
    """Return the German genitive of a state's name ("CHN" → "Chinas"), else its name."""
    name = gazetteer.name_of(alpha3) or alpha3
    forms = [e.form for e in gazetteer.entries() if e.id == alpha3 and e.type == "genitive"]
    own = [f for f in forms if " " not in f and f[:-1] == name]          # "Chinas" for China
    article = sorted((f for f in forms if f.startswith("der ")), key=len)  # "der USA", not "Amerikas"
    single = [f for f in forms if " " not in f]
    regular = [name + "s"] if " " not in name and not name.endswith(("s", "ß", "x", "z")) else [name]
    return (own or article or single or regular)[0]  # "Irans" where the gazetteer lists no genitive


def institution(stem: str, country: str) -> tuple[str, str]:
    """Return the (id, name) of a state's institution: ("INST:küstenwache:CHN", "Küstenwache Chinas")."""
    return f"INST:{stem}:{country}", f"{lexicon.institutions()[stem]} {genitive_name(country)}"


def institution_spans(doc: Doc) -> list[EntityHit]:
    """Return national institutions written with their country.

    "chinesischen Verteidigungsministeriums" (place adjective before) and "Außenministerium
    Chinas" (state genitive after) give an organisation named "Verteidigungsministerium Chinas"
    with that country.
    """
    found = []
    for i, word in enumerate(token_table(doc).words):
        stem = lexicon.institution_of(word)
        if not stem:
            continue
        tok = doc[i]
        start, end, country = tok.i, tok.i + 1, None
        if tok.i > 0 and gazetteer.country_of_adjective(doc[tok.i - 1].text):
            start, country = tok.i - 1, gazetteer.country_of_adjective(doc[tok.i - 1].text)
        elif tok.i + 1 < len(doc) and state_genitive(doc[tok.i + 1]):
            end, country = tok.i + 2, state_genitive(doc[tok.i + 1])
        elif tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "in" and tok.i > 0 \
                and doc[tok.i - 1].lower_ in lexicon.word_class("definite_article"):
            place = doc[tok.i + 2].text  # "das Verteidigungsministerium in Peking", "die Regierung in Libyen"
            country = gazetteer.state_for_capital(place) or gazetteer.state_for_name(place)
        if country is None and _is_source_word(tok.text):
            country = _clause_adjective_country(doc, tok.i)  # "malische Soldaten nach Armeeangaben"
        if country is None:
            continue
        found.append(EntityHit(start, end, "organization", *institution(stem, country), country))
        other = _coordinated_country(doc, start) if start < tok.i else None
        if other and other != country:  # "die chinesischen und russischen Küstenwachen": two of them
            found.append(EntityHit(start - 2, start - 1, "organization", *institution(stem, other), other))
    return found


def _is_source_word(word: str) -> bool:
    """Return True for a word for what an institution says ("Armeeangaben", "Polizeiangaben")."""
    return lexicon.source_endings().longest(word.lower()) is not None


def _clause_adjective_country(doc: Doc, i: int, window: int = 6) -> str | None:
    """Return the one country that the place adjectives of the few words before token i name,
    within its clause ("haben malische Soldaten nach Armeeangaben …": the Malian army), else None."""
    found = set()
    for j in range(i - 1, max(-1, i - 1 - window), -1):
        if doc[j].is_punct:
            break
        word = doc[j].text
        code = gazetteer.country_of_adjective(word) if word[:1].islower() or j == 0 or doc[j].is_sent_start else None
        if code:
            found.add(code)
    return found.pop() if len(found) == 1 else None


def _coordinated_country(doc: Doc, adjective: int) -> str | None:
    """Return the country of a place adjective or truncated state name joined by "und"/"sowie"
    to the place adjective at token `adjective` ("chinesischen und russischen", "US- und
    kanadische"), else None."""
    if adjective < 2 or doc[adjective - 1].lower_ not in ("und", "sowie"):
        return None
    word = doc[adjective - 2].text
    if word.endswith("-") and len(word) > 1:
        return gazetteer.state_of(word[:-1])  # "US-" (truncated compound "US-Streitkräfte")
    return gazetteer.country_of_adjective(word)


def bare_institutions(doc: Doc) -> list[tuple[int, int, str]]:
    """Return (start, end, stem) for an institution named without its country after a
    determiner ("das Ministerium", "des Verteidigungsministeriums")."""
    found = []
    words = token_table(doc).words
    for i, word in enumerate(words):
        stem = lexicon.institution_of(word)
        if stem and i > 0 and words[i - 1].lower() in lexicon.word_class("definite_article"):
            found.append((i - 1, i + 1, stem))
    return found


MAX_APPOSITIVE_NAME_TOKENS = 4
MAX_QUOTED_NAME_TOKENS = 8


def _quoted_name(doc: Doc, i: int) -> tuple[int, int] | None:
    """Return the tokens between a quotation mark at token i and its closing mark ("„Rossija 1“"),
    else None."""
    closings = {closing for opening, closing, _level in quote_pairs() if opening == doc[i].text}
    if not closings:
        return None
    for j in range(i + 1, min(len(doc), i + 2 + MAX_QUOTED_NAME_TOKENS)):
        if doc[j].text in closings:
            return (i + 1, j) if j > i + 1 and _capitalised(doc[i + 1].text) else None
        if doc[j].is_space or doc[j].text in ".;!?":
            return None
    return None


def _organisation_name_at(doc: Doc, i: int) -> tuple[int, int] | None:
    """Return the tokens of an organisation's name written at token i without quotation marks:
    capitalised words, numbers after them ("Rossija 1") and Arabic-prefixed words ("al-Hak")."""
    stops, particles = lexicon.word_class("name_stop"), lexicon.word_class("name_particle")
    end = i
    while end < len(doc) and end - i < MAX_APPOSITIVE_NAME_TOKENS:
        tok = doc[end]
        if tok.text in stops or tok.is_space or lexicon.role_of(tok.text) or lexicon.organisation_noun(tok.text):
            break
        arabic = tok.text.split("-")[0] in lexicon.word_class("arabic_name_prefix") and "-" in tok.text
        if (tok.text[:1].isupper() and tok.text.replace("-", "").replace(".", "").isalnum()) or arabic \
                or (end > i and tok.text.isdigit()):
            end += 1
        elif tok.text in particles and end > i and end + 1 < len(doc) and doc[end + 1].text[:1].isupper():
            end += 1
        else:
            break
    while end > i and doc[end - 1].text in particles:
        end -= 1
    return (i, end) if end > i else None


def appositive_organisations(doc: Doc, taken: set[int]) -> list[EntityHit]:
    """Return organisations named after a class noun: "die Zeitung Danas", "der Sender „Rossija 1“",
    "die Nachrichtenagentur Xinhua", "der Islamistengruppe Ansar Dine". The hit covers the class
    noun and the name; its id is the name. A place adjective before the noun gives the country
    ("die russische Zeitung Kommersant"). Names that are states, capitals or known persons are not
    read this way, nor names starting at a token in `taken`."""
    found = []
    words = token_table(doc).words
    for i, word in enumerate(words):
        if i + 1 >= len(words) or not lexicon.organisation_noun(word) or i in taken:
            continue
        tok = doc[i]
        span = _quoted_name(doc, tok.i + 1) or _organisation_name_at(doc, tok.i + 1)
        if span is None or any(i in taken for i in range(*span)):
            continue
        name = doc[span[0]:span[1]].text
        if gazetteer.state_of(name) or name in lexicon.known_persons():
            continue
        country = None
        for back in (1, 2):
            if tok.i - back >= 0 and gazetteer.country_of_adjective(doc[tok.i - back].text):
                country = gazetteer.country_of_adjective(doc[tok.i - back].text)
                break
        end = span[1] + 1 if span[0] > tok.i + 1 else span[1]  # with the closing quotation mark
        found.append(EntityHit(tok.i, end, "organization", name, name, country))
    return found
