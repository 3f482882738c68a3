"""Role phrases: the offices and titles written around a person's name, and their countries.

A role phrase is a role noun with the place adjectives, state genitives and determiner before it
and a genitive complement after it: "der russische Verteidigungsminister", "Russlands
Verteidigungschef", "Sprecher des chinesischen Verteidigungsministeriums", "stellvertretenden
Vorsitzenden der Zentralen Militärkommission Chinas". Everything works on token text alone;
part-of-speech tags are used only when the model sets them.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from lagebild_core import gazetteer
from workers.pipeline.actors import lexicon
from workers.pipeline.document import token_table

ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


@dataclass
class RolePhrase:
    """A role noun with its modifiers: tokens [start, end) of `doc`; head token index `head`.

    text: the phrase as written without its determiner; key: the head's uninflected lower-cased
    form; type: function | title | generic | relational; country: the alpha-3 its adjectives or
    genitives name, else None; singular: False when the determiner shows a plural.
    """

    start: int
    end: int
    head: int
    text: str
    key: str
    type: str
    country: str | None
    singular: bool
    det: int | None


def _has_pos(doc: Doc) -> bool:
    return doc.has_annotation("POS")


def is_adjective(tok: Token, use_pos: bool) -> bool:
    """Return True for an attributive adjective before a noun ("russische", "stellvertretenden")."""
    if not tok.is_alpha:  # "dem 90-jährigen ehemaligen Präsidenten": a number joined to an adjective
        head, _, rest = tok.text.partition("-")
        return head.isdigit() and rest.isalpha() and rest.islower() and rest.endswith(ADJECTIVE_ENDINGS)
    if use_pos and tok.pos_:
        return tok.pos_ == "ADJ" or (gazetteer.country_of_adjective(tok.text) is not None)
    low = tok.text.lower()
    if gazetteer.country_of_adjective(tok.text):
        return True
    return (tok.text[:1].islower() and tok.is_alpha and low not in lexicon.word_class("not_adjective")
            and low not in lexicon.word_class("determiner") and low.endswith(ADJECTIVE_ENDINGS) and len(low) > 3)


def state_genitive(tok: Token) -> str | None:
    """Return the alpha-3 when the token is a state's genitive ("Russlands", "Chinas")."""
    if not tok.text[:1].isupper():
        return None
    found = {e.country for e in gazetteer.lookup(tok.text) if e.type == "genitive" and e.actor_kind == "state"}
    return found.pop() if len(found) == 1 else None


def _complement_end(doc: Doc, i: int, use_pos: bool) -> int:
    """Return the end of a genitive or "von" complement starting at token i, or i if there is none.

    "der Zentralen Militärkommission Chinas", "des chinesischen Verteidigungsministeriums",
    "von Taiwan".
    """
    if i >= len(doc):
        return i
    low = doc[i].text.lower()
    if low == "von" and i + 1 < len(doc) and gazetteer.state_for_name(doc[i + 1].text):
        return i + 2
    if low not in lexicon.word_class("genitive_article"):
        return i
    j, end = i + 1, i
    while j < len(doc) and j - i <= 5:
        tok = doc[j]
        if tok.is_punct or tok.is_space:
            break
        if tok.text[:1].isupper():
            if lexicon.role_of(tok.text) and not lexicon.institution_of(tok.text):
                break
            end = j + 1
            j += 1
            if (_named_country(tok.text) or _is_acronym(tok.text)) and not is_adjective(tok, use_pos):
                break  # "der CDU/CSU Norbert Röttgen": a named party or state ends it, a name follows
            # a state genitive after the noun ("Militärkommission Chinas")
            if j < len(doc) and state_genitive(doc[j]):
                end = j + 1
                break
            if j < len(doc) and doc[j].text[:1].isupper() and doc[j].is_alpha:
                continue
            break
        if is_adjective(tok, use_pos):
            j += 1
            continue
        break
    return end if end > i + 1 else i


def _is_acronym(text: str) -> bool:
    """Return True for an organisation's acronym ("SPD", "CDU/CSU"): a complete name."""
    letters = text.replace("/", "").replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _named_country(form: str) -> str | None:
    """Return the alpha-3 of a state, capital, seat or national organisation written `form`
    ("US", "Kreml", "Weißen Hauses", "Bundeswehr", "CDU"), else None."""
    code = gazetteer.state_of(form)
    if code:
        return code
    org = gazetteer.organization(form)
    return org.country if org else None


def phrase_country(doc: Doc, start: int, end: int) -> str | None:
    """Return the alpha-3 that a phrase's place adjectives, state genitives or names give, else None.

    Also the state or national organisation a role compound starts with ("US-Präsident",
    "CDU-Generalsekretär", "Kreml-Sprecher") and one written in two or three words in the phrase
    ("Sprecher des Weißen Hauses").
    """
    for tok in doc[start:end]:
        code = (gazetteer.country_of_adjective(tok.text) or state_genitive(tok)
                or (gazetteer.state_for_name(tok.text) if tok.text[:1].isupper() else None))
        if code:
            return code
        if tok.text[:1].isupper():
            org = gazetteer.organization(tok.text)
            if org and org.country:
                return org.country
            if "-" in tok.text.strip("-") and lexicon.role_of(tok.text):
                code = _named_country(tok.text.rsplit("-", 1)[0])
                if code:
                    return code
    for n in (2, 3):
        for i in range(start, end - n + 1):
            if doc[i].text[:1].isupper():
                code = _named_country(doc[i:i + n].text)
                if code:
                    return code
    return None


def role_phrase(doc: Doc, i: int) -> RolePhrase | None:
    """Return the role phrase headed by token i, or None when token i is no role noun."""
    found = lexicon.role_of(doc[i].text)
    if not found:
        return None
    return noun_phrase(doc, i, found[0], found[2])


def noun_phrase(doc: Doc, i: int, key: str, kind: str) -> RolePhrase | None:
    """Return the phrase around the person noun at token i (its determiner, place adjectives,
    state genitives and genitive complement) as a `RolePhrase` with this key and type, or None
    when the tagger reads the token as no noun."""
    use_pos = _has_pos(doc)
    if use_pos and doc[i].pos_ in ("VERB", "AUX", "ADJ", "ADV"):
        return None
    start, det = i, None
    while start > 0:
        prev = doc[start - 1]
        if is_adjective(prev, use_pos) or state_genitive(prev):
            start -= 1
            continue
        if prev.text.lower() in lexicon.word_class("determiner"):
            det = start - 1
        break
    end = _complement_end(doc, i + 1, use_pos)
    text = doc[start:end].text
    singular = True
    if det is not None:
        low = doc[det].text.lower()
        singular = low in lexicon.word_class("singular_determiner") or (
            low in lexicon.word_class("feminine_determiner") and key.endswith("in"))
    if use_pos and "Plur" in doc[i].morph.get("Number") and not (
            det is not None and doc[det].text.lower() in lexicon.word_class("singular_only_determiner")):
        singular = False
    return RolePhrase(start, end, i, text, key, kind, phrase_country(doc, start, end), singular, det)


def role_phrases(doc: Doc) -> list[RolePhrase]:
    """Return every role phrase in the document, in text order."""
    found = []
    for i, word in enumerate(token_table(doc).words):  # (role_phrase per token, without a Token each)
        role = lexicon.role_of(word)
        phrase = noun_phrase(doc, i, role[0], role[2]) if role else None
        if phrase:
            found.append(phrase)
    return found


def order_roles(roles: list[tuple[str, str]]) -> list[str]:
    """Return role texts most specific first: offices before titles, longer phrases first,
    dropping duplicates and phrases contained in a longer one."""
    rank = {"function": 0, "title": 1, "generic": 2}
    ordered = sorted({text: kind for text, kind in roles}.items(),
                     key=lambda item: (rank.get(item[1], 3), -len(item[0].split()), -len(item[0])))
    kept: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for text, _kind in ordered:
        stems = _stems(text)
        if any(text.casefold() in k.casefold() for k in kept) or stems in seen:
            continue
        seen.add(stems)
        kept.append(text)
    return kept


def _stems(text: str) -> tuple[str, ...]:
    """Return the words of a phrase without inflection endings, to tell "russischen Präsidenten"
    and "russische Präsident" apart from other roles."""
    out = []
    for word in text.casefold().split():
        for ending in ("en", "es", "em", "er", "n", "s", "e"):
            if word.endswith(ending) and len(word) > len(ending) + 3:
                word = word[: -len(ending)]
                break
        out.append(word)
    return tuple(out)
