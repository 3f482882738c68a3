"""Add the session-2 rule components to an assembled pipeline (no retraining):
lagebild_upos_rules (after the parser), lagebild_ud_conventions (after the lemma lookup),
lagebild_per_propn (last). Optionally replace the NER by the ner of another assembled pipeline.
Usage: python scripts/add_rules.py SRC_MODEL OUT_DIR [--ner-from MODEL] [--version 0.3.0]"""
import argparse, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy
import workers.pipeline.components.factories  # noqa
from common import set_fast_ops_config  # noqa

ap = argparse.ArgumentParser(); ap.add_argument("src"); ap.add_argument("out")
ap.add_argument("--ner-from", default=None); ap.add_argument("--version", default=None)
ap.add_argument("--no-ud-conventions", action="store_true")
ap.add_argument("--no-fast-ops", action="store_true")
a = ap.parse_args()
nlp = spacy.load(a.src)
if a.ner_from:
    ner_nlp = spacy.load(a.ner_from, vocab=nlp.vocab)
    if "tok2vec" in ner_nlp.pipe_names and "ner" in ner_nlp.get_pipe("tok2vec").listening_components:
        ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=ner_nlp, before="locderiv_ruler")
if "lagebild_upos_rules" not in nlp.pipe_names:
    nlp.add_pipe("lagebild_upos_rules", after="parser")
if not a.no_ud_conventions and "lagebild_ud_conventions" not in nlp.pipe_names:
    nlp.add_pipe("lagebild_ud_conventions", after="lagebild_lemma_lookup")
if "lagebild_per_propn" not in nlp.pipe_names:
    nlp.add_pipe("lagebild_per_propn", last=True)
if a.version:
    nlp.meta["version"] = a.version
nlp.to_disk(a.out)
if not a.no_fast_ops:
    set_fast_ops_config(a.out)
print(nlp.pipe_names, "->", a.out)
