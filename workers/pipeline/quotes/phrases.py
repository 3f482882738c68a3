"""Speaker phrases: noun phrases and clause subjects in token ranges.

`np_at` and `np_after_verb` read a noun phrase from the surface; `subject_of_cue` returns the
token range that names who speaks for a cue verb, from the dependency parse when the model has
one and from the surface otherwise. (Which actor a phrase names is `speakers.Resolver`'s job.)
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Token

from workers.pipeline.document import entities, entity_starts
from workers.pipeline.quotes import lexicon

MAX_NP = 14
PERSON_LABELS = {"PER", "PERSON"}
SOURCE_LABELS = {"PER", "PERSON", "ORG", "LOC", "GPE", "NORP"}


def word_class(kind: str) -> frozenset[str]:
    """Return the words of one class of clause_words.tsv ("article", "relative", "preposition", …)."""
    return lexicon.clause_words().get(kind, frozenset())


def is_cue_token(tok: Token) -> bool:
    """Return True when `tok` is a form of a cue verb (particle not checked)."""
    return tok.lower_ in lexicon.cue_forms()


def has_parse(doc: Doc) -> bool:
    """Return True when `doc` carries a dependency parse."""
    return doc.has_annotation("DEP")


def has_pos(doc: Doc) -> bool:
    """Return True when `doc` carries coarse POS tags."""
    return doc.has_annotation("POS")


def _np_token_ok(doc: Doc, j: int, first: int, seen_noun: bool) -> tuple[bool, bool]:
    """Return (belongs to the noun phrase, is a nominal head) for token j of a phrase from `first`."""
    tok = doc[j]
    low = tok.lower_
    if has_pos(doc) and tok.pos_:
        pos = tok.pos_
        if pos in ("PROPN", "NOUN"):
            return True, True
        if pos == "DET" and seen_noun and low not in word_class("genitive_determiner"):
            return False, False
        if pos in ("DET", "ADJ", "NUM"):
            return True, False
        if pos == "PRON" and j == first and low in lexicon.pronouns():
            return True, True
        if pos == "X" and tok.text[:1].isupper():
            return True, True
        return False, False
    if seen_noun and tok.text in ('„', '“', '"', '»', '«') and j > first:
        return True, False  # a quoted name inside the phrase: der „Polizei von DeLand“
    if tok.is_punct or tok.like_num or tok.is_space:
        return False, False
    if low in word_class("article"):
        if j == first or (seen_noun and low in word_class("genitive_determiner")):
            return True, False
        return False, False
    if is_cue_token(tok) and not tok.text[:1].isupper():
        return False, False
    if low in lexicon.speaker_stopwords():
        return False, False
    if tok.text[:1].isupper() or "-" in tok.text and tok.text[:1].isupper():
        return True, True
    if tok.text[:1].islower() and not seen_noun and low.endswith(("e", "en", "er", "es", "em")) and len(low) > 3:
        return True, False  # an attributive adjective before its noun
    if tok.text[:1].islower() and seen_noun and j > first and doc[j - 1].lower_ in word_class("article"):
        return True, False  # adjective inside a genitive ("des chinesischen ...")
    return False, False


def np_at(doc: Doc, i: int, end: int) -> tuple[int, int] | None:
    """Return the noun phrase starting at token i (before `end`) as a token range, or None.

    The phrase takes determiners, adjectives, nouns and names, a genitive attribute and a name
    in apposition between commas ("der Sprecher des Ministeriums, Tan Kefei,"); a personal
    pronoun is a phrase of its own. The phrase must contain a noun or name.
    """
    if i >= end:
        return None
    if doc[i].lower_ in lexicon.pronouns() and (i + 1 >= end or not doc[i + 1].text[:1].isupper() or doc[i + 1].is_punct):
        return (i, i + 1)
    j, seen_noun = i, False
    while j < end and j - i < MAX_NP:
        ok, noun = _np_token_ok(doc, j, i, seen_noun)
        if not ok:
            break
        seen_noun = seen_noun or noun
        j += 1
    if not seen_noun:
        return None
    starts = entity_starts(doc)  # (entities do not overlap: only the one starting at i can end the phrase)
    ent = starts.get(i)
    # "laut russischen Staatsmedien": an adjective of origin is no name
    if ent is not None and ent.label_ in SOURCE_LABELS and ent.end < j and doc[ent.end].text[:1].isupper() \
            and ent.end not in starts and doc[ent.end].lower_ not in word_class("article"):
        j = ent.end  # "Wang Reportern": the name ends the phrase
    return (i, apposition_end(doc, j, end))


def source_owner_end(doc: Doc, np: tuple[int, int], end: int) -> int:
    """Return the end of speaker phrase `np` with the attribute that says whose source it is, when
    the phrase ends in a source noun ("Angaben aus Moskau", "früheren Ankündigungen aus serbischen
    Regierungskreisen", "einem Bericht der BBC"); np[1] otherwise."""
    b = np[1]
    if b >= end or not doc[b - 1].text[:1].isupper() or not lexicon.is_source_noun(doc[b - 1].lower_):
        return b
    low = doc[b].lower_
    if low not in word_class("source_owner"):
        return b
    owner = np_at(doc, b + (0 if low in word_class("article") else 1), end)
    return owner[1] if owner is not None and owner[0] <= b + 1 else b


def apposition_end(doc: Doc, j: int, end: int) -> int:
    """Return the end of a name in apposition at token j (", Tan Kefei," after a description), or j."""
    if j + 1 < end and doc[j].text == "," and doc[j + 1].text[:1].isupper() and doc[j + 1].lower_ not in word_class("relative"):
        k = j + 1
        while k < end and k - j <= 4 and doc[k].text[:1].isupper() and not doc[k].is_punct and not is_cue_token(doc[k]):
            k += 1
        if k > j + 1 and (k >= end or doc[k].text == ","):
            ents = [e for e in entities(doc) if e.start >= j + 1 and e.end <= k]
            if ents or not has_pos(doc) or all(t.pos_ == "PROPN" for t in doc[j + 1:k]):
                return k
    return j


def np_after_verb(doc: Doc, i: int, end: int) -> tuple[int, int] | None:
    """Return the subject phrase that follows a verb at i-1: skip adverbs and one short PP."""
    stop, preps = lexicon.speaker_stopwords(), word_class("preposition")
    j, skipped_pp = i, False
    while j < end:
        tok = doc[j]
        low = tok.lower_
        if tok.text in ("„", "»", "«", '"') and j + 1 < end:
            # a quoted name after the verb: "…“, schrieb die „Zeit“", "schrieb „Die Zeit“"
            k = j + 1
            while k < end and k - j <= 5 and not doc[k].is_punct and doc[k].text[:1].isupper():
                k += 1
            if k > j + 1 and k < end and doc[k].text in ("“", "«", "»", '"', "”"):
                return (j, k + 1)
            return None
        if tok.is_punct:
            return None
        if low in preps and not skipped_pp and low not in ("laut", "zufolge"):
            k = j + 1
            while k < end and k - j <= 5 and not doc[k].is_punct and (doc[k].lower_ in word_class("article") or doc[k].text[:1].islower()):
                k += 1
            while k < end and k - j <= 6 and doc[k].text[:1].isupper() and not doc[k].is_punct:
                k += 1
            if k < end and doc[k].lower_ in ("des", "der") and low not in ("am", "im"):
                k += 1
                while k < end and not doc[k].is_punct and doc[k].text[:1].islower():
                    k += 1
                while k < end and doc[k].text[:1].isupper() and not doc[k].is_punct:
                    k += 1
            skipped_pp = True
            j = k
            continue
        if low in preps:
            return None
        if low in stop and low not in word_class("article"):
            j += 1
            continue
        if low in word_class("object_start"):
            return None
        return np_at(doc, j, end)
    return None


def _parse_subject(doc: Doc, cue: Token, sent: tuple[int, int] | None = None,
                   skip: Callable[[int], bool] | None = None) -> tuple[int, int] | None:
    """Return the nominal subject of the cue (or of the verb it is coordinated with) from the parse.

    Subjects inside quotation marks (`skip`) or outside the clause range `sent`, and expletive
    or demonstrative pronouns ("es", "das") are not speakers. When the parse gives the verb two
    subjects, the one naming a person or organisation wins.
    """
    verbs = [cue]
    if cue.dep_ in ("conj", "xcomp") and cue.head.pos_ in ("VERB", "AUX"):
        verbs.append(cue.head)
    elif cue.dep_ == "advcl" and any(c.lower_ == "zu" or c.lower_ == "um" for c in cue.children):
        head = cue.head  # "…haben … verstärkt, um Washington zu signalisieren": the controller
        for _ in range(3):
            if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
                break
            head = head.head
        verbs.append(head)
    # a subject the parse hung on the finite auxiliary ("…“ wird der Franzose … zitiert")
    verbs += [c for c in cue.children if c.dep_ in ("aux", "aux:pass") and c.pos_ == "AUX"]
    for verb in verbs:
        cands = []
        passive = any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children)
        quoted_person = any(f.verb.lemma == "zitieren" for f in lexicon.cue_forms().get(cue.lower_, ()))
        for child in verb.children:
            if passive and not quoted_person and child.dep_ in ("obl", "obl:agent") and any(
                    c.dep_ == "case" and c.lower_ in ("von", "vom") for c in child.children):
                # "wird von Musikkennern als „…“ bezeichnet": the agent speaks
                keep = [t.i for t in child.subtree if t.dep_ != "case" and (skip is None or not skip(t.i))]
                if keep and (sent is None or sent[0] <= min(keep) and max(keep) < sent[1]):
                    return (min(keep), max(keep) + 1)
            if child.dep_ != "nsubj" and not (child.dep_ == "nsubj:pass" and quoted_person) or child.is_punct:
                continue  # the subject of a passive ("Seine Werke werden … bezeichnet") is no speaker,
                # except of "zitiert werden" ("Musk wird wie folgt zitiert")
            if skip is not None and skip(child.i):
                continue
            if sent is not None and not sent[0] <= child.i < sent[1]:
                continue
            if child.lower_ in word_class("not_speaker") or child.lower_ in lexicon.speaker_stopwords():
                continue
            case = child.morph.get("Case")
            if case and "Nom" not in case:
                continue  # "Den Unmut der CDU brachte die Sprecherin zum Ausdruck": not nominative
            if child.pos_ == "PRON" or child.lower_ in lexicon.pronouns():
                cands.append((child.i, child.i + 1))  # "sie eine …": a pronoun is the whole phrase
                continue
            toks = [t for t in child.subtree]
            cut = {t.i for c in child.children if c.dep_ in ("acl", "acl:relcl", "punct") for t in c.subtree}
            # prepositional attachments that are no part of the name: "das Ministerium auf seinem
            # Konto unter Berufung auf …", "der Minister dem Bericht zufolge"
            cut |= {t.i for c in child.children if c.dep_ in ("nmod", "obl") and c.i > child.i
                    and any(k.dep_ == "case" and k.lower_ in word_class("subject_cut_preposition") for k in c.children)
                    for t in c.subtree}
            keep = [t.i for t in toks if t.i not in cut and (skip is None or not skip(t.i))]
            if not keep:
                continue
            s, e = min(keep), max(keep) + 1
            while e > s and doc[e - 1].is_punct:
                e -= 1
            while s < e and doc[s].is_punct:
                s += 1
            ent = entity_starts(doc).get(s)  # "sagte Wang Reportern": the name ends the phrase
            if ent is not None and ent.label_ in PERSON_LABELS and ent.end < e and doc[ent.end].text != "," \
                    and doc[ent.end].lower_ not in word_class("article"):
                e = ent.end
            if e > s:
                cands.append((s, e))
        if len(cands) > 1:
            named = [c for c in cands if any(t.ent_type_ in SOURCE_LABELS for t in doc[c[0]:c[1]])
                     or any(r in doc[c[0]:c[1]].text.lower() for r in lexicon.role_nouns())]
            if named:
                return named[0]
        if cands and sent is not None and verb is cue and sent[0] < cue.i:
            head = doc[cands[0][0]:cands[0][1]].root
            end = cue.i
            while end > sent[0] and doc[end - 1].is_punct:
                end -= 1
            pre = doc[sent[0]:end]
            if (cands[0][0] > cue.i and head.ent_type_ not in PERSON_LABELS and len(pre)
                    and (all(t.ent_type_ in PERSON_LABELS for t in pre)
                         or pre[-1].ent_type_ in PERSON_LABELS and pre[0].pos_ in ("DET", "NOUN", "PROPN")
                         and not any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ") and t.dep_ != "case" for t in pre))):
                # "Pötsch beschrieb die Bedeutung …", "Der Vorsitzende …, Frank Bsirske, würdigte Kluncker":
                # the named phrase before the verb
                return (sent[0], end)
        if cands:
            return cands[0]
    return None


def parse_subject(doc: Doc, head: Token, sent: tuple[int, int] | None = None,
                  skip: Callable[[int], bool] | None = None) -> tuple[int, int] | None:
    """Return the parse subject of any head token (a verb, or a noun with a copula), or None."""
    return _parse_subject(doc, head, sent, skip)


def finite_of(doc: Doc, cue: int, sent_start: int) -> int:
    """Return the finite verb position of the clause whose cue is at `cue` (its auxiliary if any)."""
    tok = doc[cue]
    low = tok.lower_
    finite_form = not (low.startswith("ge") and low.endswith(("t", "en")) or low.endswith("en") and not low.endswith("ten"))
    if finite_form and not (low.endswith("t") and cue + 1 < len(doc) and doc[cue + 1].is_punct):
        return cue
    # a participle without "ge-" ("hatten polnische Experten kritisiert, …", "hat erklärt, …"):
    # a form in -t closing its clause is finite unless an auxiliary stands before it
    aux = word_class("aux")
    for k in range(cue - 1, sent_start - 1, -1):
        if doc[k].lower_ in aux:
            return k
        if doc[k].text in (",", ";", ":"):
            break
    return cue


def subject_of_cue(doc: Doc, cue: int, sent: tuple[int, int],
                   skip: Callable[[int], bool] | None = None) -> tuple[int, int] | None:
    """Return the token range of the phrase naming the speaker of the cue verb at `cue`, or None.

    With a dependency parse: the cue's nominal subject without relative clauses. Otherwise
    (or when the parse finds none): the noun phrase before the finite verb when the clause opens
    with it ("Der Diplomat erklärte"), else the nominative phrase after the finite verb
    ("…, erklärte der Sprecher", "hatte indes ein Beamter gesagt").
    """
    s0, s1 = sent
    if has_parse(doc):
        found = _parse_subject(doc, doc[cue], sent, skip)
        if found:
            return (found[0], apposition_end(doc, found[1], s1))

    fin = finite_of(doc, cue, s0)
    # left boundary of the clause holding the verb
    left = s0
    for k in range(fin - 1, s0 - 1, -1):
        if doc[k].text in (";", ":") or doc[k].is_space:
            left = k + 1
            break
    before = [k for k in range(left, fin)]
    if before:
        # clause-initial material before the finite verb
        k = left
        while k < fin and doc[k].lower_ in lexicon.speaker_stopwords() and doc[k].lower_ not in word_class("preposition") and doc[k].lower_ not in word_class("article"):
            k += 1
        last_comma = max((x for x in before if doc[x].text == ","), default=None)
        if last_comma is not None:
            # "X, der …, sagte": keep the head phrase; "Nachdem …, sagte er": subject after the verb
            if doc[left].lower_ in word_class("subordinator"):
                return np_after_verb(doc, fin + 1, s1)
        if k < fin and doc[k].lower_ not in word_class("preposition") and doc[k].lower_ not in word_class("subordinator"):
            np = np_at(doc, k, fin)
            if np and doc[fin - 1].text == ",":
                # "Der Sprecher, Wang Wenbin, sagte" / "Li, der …, sagte" (not "…, sagte X")
                e = np[1]
                if e == fin - 1 and last_comma is not None and any(doc[x].text == "," for x in range(k, e)):
                    return np
                if e < fin and doc[e].text == "," and e + 1 < fin and doc[e + 1].lower_ in word_class("relative"):
                    return np
            elif np and (np[1] == fin or doc[np[1]].text == "," or all(
                    t.text[:1].islower() and t.lower_ not in word_class("article") for t in doc[np[1]:fin])):
                return np
        if fin - 2 >= left and doc[fin - 1].lower_ in word_class("relative") and doc[fin - 2].text == ",":
            return (fin - 1, fin)  # "…, der versprach": the relative pronoun names the speaker here
        comma = max((x for x in range(left, fin) if doc[x].text == ","), default=None)
        if (comma is not None and comma + 1 < fin and doc[comma + 1].lower_ in word_class("relative")
                and doc[comma + 1].lower_ in word_class("article") and (fin + 1 >= s1 or doc[fin + 1].is_punct)):
            return (comma + 1, comma + 2)  # "…, die Peking vorwerfen, …": a verb-final relative clause
        if doc[fin - 1].lower_ == "und" and k < fin - 1:
            np = np_at(doc, k, fin)  # "X besuchte Moskau und übermittelte": the first clause's subject
            if np:
                return np
        after = np_after_verb(doc, fin + 1, s1)
        if after:
            return after
        # a long subject ("Der Vertreter der Arbeitgeber im Aufsichtsrat …, Peter Clever, sagte"):
        # the whole stretch before the verb when it opens like a noun phrase
        e = fin
        while e > k and (doc[e - 1].is_punct or doc[e - 1].text[:1].islower() and doc[e - 1].lower_ not in word_class("article")
                         and not doc[e - 1].text[:1].isupper() and doc[e - 1].lower_ in lexicon.speaker_stopwords()):
            e -= 1
        if (k < e and e - k <= 20 and (doc[k].lower_ in word_class("nominative") or doc[k].text[:1].isupper())
                and doc[k].lower_ not in word_class("preposition") and doc[k].lower_ not in word_class("subordinator")
                and not any(doc[x].text in (";", ":") for x in range(k, e))
                and not any(is_cue_token(doc[x]) for x in range(k, e))):
            aux_at = next((x for x in range(k + 1, e) if doc[x].lower_ in word_class("aux")), None)
            if aux_at is not None:
                e = aux_at  # "Das Ministerium hat sich bereit erklärt": the subject ends at the auxiliary
            return (k, e)
        return None
    return np_after_verb(doc, fin + 1, s1)
