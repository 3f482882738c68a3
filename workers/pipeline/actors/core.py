"""Putting the actor steps together: one record per participant with all its mentions.

Order of work: gazetteer forms (states, capitals, organisations, groups) and national
institutions; person names (after role nouns, well-known names, the recognizer's persons) and all
their full, short and genitive occurrences; roles from the phrases written around a name
(before it, as an apposition, after a copula) and role nouns standing alone ("der Minister") and
pronouns ("er") joined to the person they refer to (attach.py); unnamed sources ("eine Armeesprecherin",
"Diplomaten": unnamed.py); the recognizer's other organisations and places last.
"""
from __future__ import annotations


from lagebild_core import gazetteer, registry
from workers.pipeline.actors import attach, countries, entities, lexicon, names, unnamed
from workers.pipeline.actors.roles import RolePhrase, order_roles, role_phrases
from workers.pipeline.actors.clusters import Cluster, ClusterSet
from workers.pipeline.document import DocumentView, token_table

PERSON_LABELS = {"PER", "PERSON"}
ORG_LABELS = {"ORG", "NORP_ORG"}
LOCATION_LABELS = {"LOC", "GPE", "FAC"}


class Builder(ClusterSet):
    """Collects clusters for one `Doc` by the steps below; `records()` returns the schema-v1 actor list."""

    # states, organisations, groups --------------------------------------------------------
    def add_gazetteer(self) -> None:
        """Add the gazetteer's states, capitals, organisations and groups and the institutions."""
        insts = entities.institution_spans(self.doc)
        inst_tokens = {i for f in insts for i in range(f.start, f.end)}
        for found in insts:
            self.add(self.cluster("organization", found.id, found.name, found.country), found.start, found.end)
        for found in entities.gazetteer_spans(self.doc):
            if any(i in inst_tokens for i in range(found.start, found.end)):
                continue  # "Außenministerium Chinas": the ministry, not the state
            if found.kind in ("state", "location") and not found.id.startswith("LOC:"):
                key, name = ("state", found.id), gazetteer.name_of(found.id) or found.name
                kind = "state" if found.kind == "state" else "location"
                self.add(self.cluster(kind, key, name, found.country), found.start, found.end)
            elif found.id.startswith("LOC:"):
                self.add(self.cluster("location", found.id, found.name, found.country), found.start, found.end)
            else:
                self.add(self.cluster(found.kind, (found.kind, found.id), found.name, found.country),
                         found.start, found.end)

    def add_state_sources(self) -> None:
        """Add "nach pakistanischer Darstellung", "von russischer Seite", "nach US-Angaben" as
        mentions of the state: a place adjective (or a state's name in a compound) before a noun
        for what a side says names that state as the source after "nach", "von", "aus", "laut"
        (not "Reuters konnte die ukrainischen Angaben nicht überprüfen")."""
        nouns = lexicon.word_class("state_source_noun")
        for tok in self.doc:
            if tok.i in self.taken or not tok.text[:1].isupper():
                continue
            head, _, rest = tok.text.rpartition("-")
            prev = self.doc[tok.i - 1] if tok.i > 0 else None
            if head and rest.lower() in nouns:  # "US-Angaben"
                code, start = gazetteer.state_for_name(head), tok.i
            elif tok.lower_ in nouns and prev is not None and prev.i not in self.taken and prev.text[:1].islower():
                code, start = gazetteer.country_of_adjective(prev.text), prev.i
            else:
                continue
            if code and start > 0 and self.doc[start - 1].lower_ in lexicon.word_class("source_preposition"):
                name = gazetteer.name_of(code) or code
                self.add(self.cluster("state", ("state", code), name, code), start, tok.i + 1)

    def add_appositive_organisations(self) -> None:
        """Add organisations a class noun names ("die Zeitung Danas", "die Gruppe Ansar Dine") and
        every other place their name is written: they are never persons."""
        hits = entities.appositive_organisations(self.doc, self.taken)
        if not hits:
            return
        positions: dict[str, list[int]] = {}
        for i, word in enumerate(token_table(self.doc).words):
            positions.setdefault(word, []).append(i)
        for found in hits:
            cluster = self.cluster("organization", ("org", found.name), found.name, found.country)
            self.add(cluster, found.start, found.end)
            words = found.name.split()
            for i in positions.get(words[0], ()):
                n = len(words)
                if [t.text for t in self.doc[i:i + n]] == words and not any(j in self.taken for j in range(i, i + n)):
                    self.add(cluster, i, i + n)

    def add_bare_institutions(self) -> None:
        """Join "das Ministerium" to the last institution of that kind named before it."""
        for start, end, stem in entities.bare_institutions(self.doc):
            if start in self.taken or end - 1 in self.taken:
                continue
            best, best_pos = None, -1
            for cluster in self.clusters.values():
                if isinstance(cluster.key, str) and cluster.key.startswith("INST:"):
                    inst_stem = cluster.key.split(":")[1]
                    if not inst_stem.endswith(stem):
                        continue
                    before = [s for s, _e in cluster.spans if s < start]
                    if before and max(before) > best_pos:
                        best, best_pos = cluster, max(before)
            if best is None:
                best = self._institution_of_the_sentence(start, stem)
            if best is not None:
                self.add(best, start, end)

    def _institution_of_the_sentence(self, start: int, stem: str) -> Cluster | None:
        """Return the institution of the one state the sentence places itself in ("Die Polizei in
        Brüssel nahm … fest" → Polizei Belgiens), or None when it names no state or several."""
        sent = self.doc[start].sent if self.doc.has_annotation("SENT_START") else self.doc[:]
        countries = set()
        for cluster in self.clusters.values():
            if cluster.kind in ("state", "location") and cluster.country and any(
                    sent.start <= s < sent.end for s, _e in cluster.spans):
                countries.add(cluster.country)
        if len(countries) != 1:
            return None
        country = countries.pop()
        return self.cluster("organization", *entities.institution(stem, country), country)

    # persons ---------------------------------------------------------------------------------
    def _name_after_phrase(self, phrase: RolePhrase) -> tuple[int, int] | None:
        """Return the name a role phrase introduces: right after it, after further titles
        ("Sprecher Oberst Wu Qian"), or after a comma ("der Sprecher des …, Tan Kefei")."""
        i = phrase.end
        while i < len(self.doc) and lexicon.role_of(self.doc[i].text) and i - phrase.end < 2:
            i += 1
        if i < len(self.doc) and self.doc[i].text == "," and (phrase.det is not None or phrase.end > phrase.head + 1):
            span = names.name_after(self.doc, i + 1)
            if span and (span[1] >= len(self.doc) or self.doc[span[1]].text in (",", ".", "der", "die")
                         or self.doc[span[1]].is_space):
                return span
            return None
        if i < len(self.doc) and i not in self.taken:
            return names.name_after(self.doc, i)
        return None

    def find_persons(self, phrases: list[RolePhrase]) -> None:
        """Find the article's persons and every place each is named."""
        strong: list[tuple[str, ...]] = []
        for phrase in phrases:
            if phrase.type == "generic":
                continue
            span = self._name_after_phrase(phrase)
            if span and not phrase.singular and not all(t.ent_type_ in PERSON_LABELS for t in self.doc[span[0]:span[1]]):
                continue  # "nach Angaben unabhängiger Experten Senfgas": a plural introduces no name by itself
            if span and not any(i in self.taken for i in range(*span)):
                strong.append(tuple(t.text for t in self.doc[span[0]:span[1]]))
        text = token_table(self.doc).text  # (Doc.text joins the tokens anew on every access)
        for form in lexicon.known_persons():
            words = tuple(form.split())
            if words not in strong and form in text:
                strong.append(words)
        occurrences = names.find_occurrences(self.doc, strong, self.taken)
        weak: list[tuple[str, ...]] = []
        for ent in self.doc.ents:
            if ent.label_ not in PERSON_LABELS or any(t.i in self.taken for t in ent):
                continue
            toks = [t for t in ent if names.is_name_token(t, self.use_pos)]
            if not toks or len(toks) != len(ent) and toks[0].i != ent.start:
                continue
            prev = self.doc[ent.start - 1] if ent.start > 0 else None
            if prev is not None and not prev.is_sent_start and prev.pos_ in ("ADJ", "PROPN", "X") \
                    and prev.i not in self.taken and names.is_name_token(prev) and toks[0].i == ent.start:
                toks = [prev] + toks  # "unter anderem Annie Lennox": the recognizer left out the first name
            words = tuple(t.text for t in toks)
            if ent.text in lexicon.not_actors() or len(words) == 1 and words[0] in lexicon.subdivision_names():
                continue
            weak.append(words)
        # a one-word name that is the genitive of a known one ("Putins") is that name
        occurrences += names.find_occurrences(self.doc, strong + weak, self.taken)
        for start, end, name in sorted(occurrences):
            self._person(name).spans.append((start, end))

    def drop_unsupported_persons(self) -> None:
        """Drop one-word persons that nothing but the recognizer vouches for: no role, no country
        beside the name, not a well-known person. News introduce a person by full name or by
        office; a lone capitalised word the recognizer calls a person is mostly a thing or a place
        ("ihr Rückzugslager", "gegen Aids", "westlich von Smolensk"). Its tokens are freed for the
        recognizer's places and organisations. One that acts as the subject of a verb ("sagte
        Müller") is kept: things and places seldom speak or act. Without a parser nothing is dropped."""
        if not self.doc.has_annotation("DEP"):
            return
        known = lexicon.known_persons()
        for key, c in list(self.clusters.items()):
            if c.kind != "person" or " " in c.name or c.roles or c.countries or c.name in known:
                continue
            if any(self.doc[s].dep_ == "nsubj" for s, _e in c.spans):
                continue
            del self.clusters[key]
            for s, e in c.spans:
                self.taken.difference_update(range(s, e))

    def _person(self, name: tuple[str, ...]) -> Cluster:
        """Return the person cluster for a name, spelling variants of one name sharing one."""
        text = " ".join(name)
        known = lexicon.known_persons().get(text)
        key = ("person", registry.name_skeleton(known[0] if known else text))
        cluster = self.cluster("person", key, text, None)
        if len(text) > len(cluster.name) and len(name) >= len(cluster.name.split()):
            cluster.name = text
        return cluster

    def add_capital_genitives(self) -> None:
        """Add "Moskaus", "Washingtons" (a capital in the genitive: "die Invasion Moskaus") to the
        state the capital stands for; the gazetteer lists capitals in the nominative only."""
        for i, text in enumerate(token_table(self.doc).words):
            if i in self.taken or len(text) < 4 or not text[:1].isupper() or not text.endswith("s"):
                continue
            code = gazetteer.state_for_capital(text[:-1])
            if code:
                name = gazetteer.name_of(code) or text[:-1]
                self.add(self.cluster("state", ("state", code), name, code), i, i + 1)

    # the recognizer's remaining entities ----------------------------------------------------
    def add_other_entities(self) -> None:
        """Add the recognizer's organisations and places that no other step has taken."""
        for ent in self.doc.ents:
            if any(t.i in self.taken for t in ent) or ent.text in lexicon.not_actors():
                continue
            text = ent.text.strip()
            if not text[:1].isupper() or len(text) < 2:
                continue
            if ent.label_ in ORG_LABELS:
                if any(gazetteer.lookup(t.text) for t in ent if t.text[:1].isupper()):
                    continue
                self.add(self.cluster("organization", ("org", text), text, None), ent.start, ent.end)
            elif ent.label_ in LOCATION_LABELS:
                self.add(self.cluster("location", ("loc", text), text, None), ent.start, ent.end)

    # output ----------------------------------------------------------------------------------
    def records(self) -> list[dict]:
        """Return the schema-v1 actor records in order of first mention."""
        doc = self.doc
        clusters = list(self.clusters.values())
        dominant = countries.dominant_state(clusters)
        found = []
        for c in clusters:
            if not c.spans:
                continue
            spans = sorted(set(c.spans))
            record = {
                "id": "",
                "global_id": None,
                "name": c.name,
                "kind": c.kind,
                "named": c.named,
                "roles": order_roles(c.roles) if c.kind == "person" or not c.named else [],
                "country": countries.person_country(c, clusters, self.sent_of, dominant) if c.kind == "person"
                else c.country,
                "mentions": [{"text": doc[s:e].text, "start": doc[s].idx, "end": doc[s:e].end_char}
                             for s, e in spans],
            }
            found.append(record)
        found.sort(key=lambda r: r["mentions"][0]["start"])
        for number, record in enumerate(found, start=1):
            record["id"] = f"A{number}"
            record["global_id"] = registry.canonical_key(record) if record["named"] else None
        return found


def extract_actors(view: DocumentView) -> list[dict]:
    """Return one schema-v1 actor record per participant the article names, with all mentions."""
    doc = view.doc
    builder = Builder(view)
    builder.add_gazetteer()
    builder.add_capital_genitives()  # before the persons: "Moskaus" is never a person, whatever the NER says
    builder.add_state_sources()
    builder.add_appositive_organisations()  # "die Zeitung Danas": an organisation, whatever the NER says
    phrases = role_phrases(doc)
    builder.find_persons(phrases)
    attached = attach.attach_roles(builder, phrases)
    attach.countries_around_names(builder)
    attach.role_noun_mentions(builder, phrases, attached)
    builder.drop_unsupported_persons()
    builder.add_bare_institutions()
    unnamed.add_unnamed(builder, phrases, attached)
    attach.pronoun_mentions(builder)
    builder.add_other_entities()
    return builder.records()
