"""Quotes: direct, indirect and mixed speech with the speaker who said it.

`extract_quotes(doc, actors)` returns the schema-v1 `quotes` list for a parsed article. The
rules read the surface (quotation marks, cue verbs, Konjunktiv forms, markers) and use the
model's parse, morphology and entities when it has them; all word lists are data files in
`workers/pipeline/lexicons/quotes/`.
"""
from workers.pipeline.quotes.core import extract_quotes

__all__ = ["extract_quotes"]
