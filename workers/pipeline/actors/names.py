"""Person names: where a name is written, and where it is written again in part.

`is_name_token` tells a name part from other capitalised words; `name_after` reads a name that
follows a role noun ("Verteidigungsminister Andrey Belousov"); `find_occurrences` finds every place
where one of the article's persons is named: in full, by surname (family name first for
Chinese, Korean and Vietnamese names: "Zhang" for "Zhang Youxia"), or in the genitive ("Putins",
"Xi Jinpings", "Lis").
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Token

from lagebild_core import gazetteer
from workers.pipeline.actors import lexicon
from workers.pipeline.document import token_table

MAX_NAME_TOKENS = 4


@lru_cache(maxsize=1)
def _arabic_prefixed() -> re.Pattern[str]:
    """Return the pattern of a name part with an Arabic article or kinship prefix ("al-Assad")."""
    prefixes = "|".join(sorted(lexicon.word_class("arabic_name_prefix")))
    return re.compile(rf"^(?:{prefixes})-[A-ZÄÖÜ][a-zäöüé]+$")


def is_name_token(tok: Token, use_pos: bool = False) -> bool:
    """Return True when a token can be part of a person's name.

    Capitalised, alphabetic (hyphens and apostrophes allowed), not a role noun, not a gazetteer
    state/organisation/group/adjective form, not a common capitalised word; with a tagger, not a
    verb, adjective, determiner, pronoun or adposition.
    """
    text = tok.text
    if _arabic_prefixed().match(text):  # "al-Assad", "el-Sisi", "bin-Salman"
        return True
    bare = text.replace("-", "").replace("'", "").replace("’", "")
    if len(text) < 2 or not text[:1].isupper() or not bare.isalpha() or text in lexicon.word_class("name_stop"):
        return False
    if text.isupper() and len(text) > 3:
        return False  # acronyms: TASS, NATO
    if lexicon.role_of(text) or lexicon.institution_of(text) or text in lexicon.not_actors():
        return False
    if gazetteer.lookup(text) and not gazetteer.lookup(text)[0].type == "demonym":
        return False
    if text.lower().endswith(tuple(lexicon.word_class("noun_suffix"))) and not use_pos:
        return False
    # the tagger's word class is overruled inside a person entity: "Tan" (Kefei) is no conjunction
    if use_pos and tok.pos_ in ("VERB", "AUX", "ADJ", "DET", "PRON", "ADP", "CCONJ", "SCONJ", "ADV", "NUM", "PUNCT") \
            and not (tok.ent_type_ in ("PER", "PERSON") and not tok.is_sent_start):
        return False
    return True


def name_after(doc: Doc, i: int) -> tuple[int, int] | None:
    """Return the token range of a person's name starting at token i, or None.

    Reads up to four name tokens ("Andrey Belousov", "Lai Ching-te"); a particle ("von der")
    is taken only between name tokens.
    """
    use_pos = doc.has_annotation("POS")
    particles = lexicon.word_class("name_particle")
    end = i
    while end < len(doc) and end - i < MAX_NAME_TOKENS:
        tok = doc[end]
        if is_name_token(tok, use_pos):
            end += 1
        elif tok.text in particles and end > i and end + 1 < len(doc) and (
                is_name_token(doc[end + 1], use_pos) or doc[end + 1].text in particles):
            end += 1
        else:
            break
    while end > i and doc[end - 1].text in particles:
        end -= 1
    return (i, end) if end > i else None


def base_form(word: str, name_words: set[str]) -> str | None:
    """Return the name word that `word` writes, the genitive included ("Putins" → "Putin"), or None."""
    if word in name_words:
        return word
    for ending in ("s", "'", "’", "'s"):
        if word.endswith(ending) and word[: -len(ending)] in name_words:
            return word[: -len(ending)]
    return None


def _genitives(word: str) -> set[str]:
    """The written forms `base_form` reads as `word`: itself and its genitives."""
    return {word} | {word + ending for ending in ("s", "'", "’", "'s")}


def short_forms(name: tuple[str, ...]) -> set[str]:
    """Return the one-word forms that refer to a person named `name` in full.

    The last word ("Belousov"), or for a family-name-first name the first word ("Zhang").
    """
    if len(name) < 2:
        return set()
    if name[0] in lexicon.east_asian_surnames():
        return {name[0]}
    if _arabic_prefixed().match(name[-1]):  # "al-Assad" is also written "Assad" ("Assads Rücktritt")
        return {name[-1], name[-1].split("-", 1)[1]}
    return {name[-1]}


def find_occurrences(doc: Doc, names: list[tuple[str, ...]], taken: set[int]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return (start, end, name) for each place a name is written in full or in short.

    Full names are matched first, the last word possibly in the genitive; then single short forms
    that belong to exactly one of the names. Tokens in `taken` are skipped and are added to it.
    """
    found: list[tuple[int, int, tuple[str, ...]]] = []
    words = token_table(doc).words
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        positions.setdefault(word, []).append(i)
    short_owners: dict[str, set[tuple[str, ...]]] = {}
    for name in names:
        for form in short_forms(name):
            short_owners.setdefault(form, set()).add(name)
    shorts = {form for form, owners in short_owners.items() if len(owners) == 1}
    for name in sorted(names, key=len, reverse=True):
        n = len(name)
        if n == 1 and name[0] in shorts:
            continue  # "Renzi" beside "Matteo Renzi": a short form, resolved below
        # where the name can start: its first word as written (a one-word name also in the genitive)
        firsts = _genitives(name[0]) if n == 1 else {name[0]}
        for i in sorted(i for form in firsts for i in positions.get(form, ())):
            if i + n > len(words) or any(j in taken for j in range(i, i + n)):
                continue
            if words[i:i + n - 1] == list(name[:-1]) and base_form(words[i + n - 1], {name[-1]}):
                found.append((i, i + n, name))
                taken.update(range(i, i + n))
    owners: dict[str, set[tuple[str, ...]]] = {}
    for name in names:
        for form in short_forms(name):
            owners.setdefault(form, set()).add(name)
        if len(name) == 1:
            owners.setdefault(name[0], set()).add(name)
    owner_forms = set(owners)  # (once, not per token: long articles name many persons)
    for i, word in enumerate(words):
        if i in taken or not word[:1].isupper():
            continue
        form = base_form(word, owner_forms)
        if form is None:
            continue
        candidates = owners[form]
        longer = {c for c in candidates if len(c) > 1}
        if len(longer) == 1:
            found.append((i, i + 1, longer.pop()))
            taken.add(i)
        elif not longer and len(candidates) == 1:
            found.append((i, i + 1, next(iter(candidates))))
            taken.add(i)
    return sorted(found)
