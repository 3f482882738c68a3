"""Recover training assets from an existing pipeline (default: the shipped models/de_lagebild):
the floret vectors (assets/vectors_model) and
the trained token-to-vector weights of the UD and NER parts (assets/init_*_tok2vec.bin, in the
format `[initialize] init_tok2vec` reads). Saves re-running `vectors`, `lexicons` and `pretrain`
(≈ 50 min) when only the later steps change; the shipped tok2vecs were trained on allowed data only.
Usage: python scripts/extract_assets.py [MODEL] [--out assets]"""
import argparse, json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy
import workers.pipeline.components.factories  # noqa: F401  (registers the lagebild_* components)

ap = argparse.ArgumentParser(); ap.add_argument("model", nargs="?", default="../models/de_lagebild"); ap.add_argument("--out", default="assets")
a = ap.parse_args(); out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
nlp = spacy.load(a.model)
# The lookups tables are stored with hashed keys, so they cannot be written back as word -> value JSON:
# regenerate the gazetteer with scripts/gazetteers.py (seconds) and copy the lemma table from the
# pipeline at assembly time (assemble.py --lookups-from MODEL).
if not (out / "vectors_model").exists():
    blank = spacy.blank("de"); blank.vocab.vectors = nlp.vocab.vectors; blank.to_disk(out / "vectors_model")
    print("wrote", out / "vectors_model", nlp.vocab.vectors.shape, nlp.vocab.vectors.mode)
(out / "init_ud_tok2vec.bin").write_bytes(nlp.get_pipe("tok2vec").model.to_bytes())
(out / "init_ner_tok2vec.bin").write_bytes(nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].to_bytes())  # chain(tok2vec, list2array, linear)
print("wrote tok2vec weights")
