"""Write the weights of a trained pipeline's shared `tok2vec` component in the format
`[initialize] init_tok2vec` reads, so a later training run starts from them.
Usage: python scripts/export_tok2vec.py MODEL OUT.bin"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy

import workers.pipeline.components.factories  # noqa: F401  (registers lagebild.GazetteerEmbed.v1)

model, out = sys.argv[1], Path(sys.argv[2])
out.write_bytes(spacy.load(model).get_pipe("tok2vec").model.to_bytes())
print("wrote", out)
