"""The one place that registers the Lagebild components, layer and callbacks with spaCy.

The names are part of the shipped pipeline's config (models/de_lagebild/config.cfg) and of the
training configs (training/configs/*.cfg), so they stay as they are. Importing this module
registers everything (as spaCy's own spacy/pipeline/factories.py does with ``Language.factory(...)(func)``);
``spacy train --code`` can point at this file, provided the ``workers`` package is importable
(``pip install -e .`` at the repository root). Every registered function lives in a component
module, never here: spaCy accepts a second registration of a name only for the same function, and
this file may run twice (once as ``--code`` or inside a model package, once as a module).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.util import registry

from workers.pipeline.components.fast_ops import make_fast_ops_callback
from workers.pipeline.components.gazetteer_embed import add_gazetteer, gazetteer_embed
from workers.pipeline.components.lemma_lookup import make_lemma_lookup
from workers.pipeline.components.morph_rules import morph_rules
from workers.pipeline.components.name_propagation import name_propagation
from workers.pipeline.components.per_propn import per_propn
from workers.pipeline.components.sentence_rules import sentence_rules
from workers.pipeline.components.ud_conventions import ud_conventions
from workers.pipeline.components.upos_rules import upos_rules

# stateless components, in pipeline order
Language.component("lagebild_sentence_rules", func=sentence_rules)
Language.component("lagebild_upos_rules", func=upos_rules)
Language.component("lagebild_morph_rules", func=morph_rules)
Language.component("lagebild_ud_conventions", func=ud_conventions)
Language.component("lagebild_name_propagation", func=name_propagation)
Language.component("lagebild_per_propn", func=per_propn)

# components with settings
Language.factory("lagebild_lemma_lookup", default_config={"overwrite": True}, func=make_lemma_lookup)

# the NER's token-to-vector layer and the callbacks of the configs
registry.architectures.register("lagebild.GazetteerEmbed.v1", func=gazetteer_embed)
registry.callbacks.register("lagebild.add_gazetteer.v1", func=add_gazetteer)
registry.callbacks.register("lagebild.fast_ops.v1", func=make_fast_ops_callback)
