"""Model-level spaCy components of the Lagebild German pipeline (models/de_lagebild).

One component, layer, callback or ops class per module; the modules hold plain functions and
classes. `factories` registers them under the names the shipped pipeline's config refers to, so
import `workers.pipeline.components.factories` before `spacy.load("models/de_lagebild")` (it
depends on spaCy only and is cheap to import). The word lists they read are data files in
workers/pipeline/lexicons/components/.
"""
from pathlib import Path

LEXICONS = Path(__file__).resolve().parents[1] / "lexicons" / "components"
