"""Partial NER annotation for the extra corpora (LER, MobIE, HIPE): they annotate PER/LOC/ORG only (no OTH,
no LOCderiv) and follow other guidelines, so their "O" on capitalised words (titles of works, events,
products, unannotated names) and on place-derived adjectives ("deutschen", a GermEval LOCderiv) teaches the
NER to miss those. Such tokens are set to *missing* (no loss) instead of O: capitalised tokens outside
entities that a UD tagger (the morphologizer of TAGGER_MODEL) tags PROPN or X, and words in the
gazetteer's place-derived list. GermEval stays complete.
Usage: python scripts/make_partial.py corpus/ner_train_plus corpus/ner_train_partial [TAGGER_MODEL]"""
import json, shutil, sys
from pathlib import Path
import spacy
from spacy.tokens import DocBin, Span

src, dst = Path(sys.argv[1]), Path(sys.argv[2])
dst.mkdir(parents=True, exist_ok=True)
gaz = json.loads((Path(__file__).resolve().parents[1] / "assets" / "gazetteer.json").read_text(encoding="utf-8"))
LOCDERIV_BIT = 1 << 5
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import workers.pipeline.components.factories  # noqa
from spacy.tokens import Doc
nlp = spacy.load(sys.argv[3] if len(sys.argv) > 3 else "../models/de_lagebild", exclude=["parser", "ner", "locderiv_ruler", "lagebild_name_propagation", "trainable_lemmatizer", "lagebild_lemma_lookup"])
for p in sorted(src.glob("*.spacy")):
    if p.name == "germeval.spacy":
        shutil.copy(p, dst / p.name)
        continue
    docs = list(DocBin().from_disk(p).get_docs(nlp.vocab))
    n_missing = n_tok = 0
    tagged = nlp.pipe([Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]) for d in docs])
    for doc, td in zip(docs, tagged):
        ents = list(doc.ents)
        inside = {i for e in ents for i in range(e.start, e.end)}
        missing = []
        for t in doc:
            if t.i in inside:
                continue
            if (t.text[:1].isupper() and td[t.i].pos_ in ("PROPN", "X")) or (gaz.get(t.lower_, 0) & LOCDERIV_BIT):
                missing.append(Span(doc, t.i, t.i + 1))
        doc.set_ents(ents, missing=missing, default="outside")
        n_missing += len(missing); n_tok += len(doc)
    DocBin(docs=docs, store_user_data=False).to_disk(dst / p.name)
    print(f"{p.name}: {len(docs)} docs, {n_missing}/{n_tok} tokens set to missing")
