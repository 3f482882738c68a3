"""Actors: the people, organisations, states, groups and places an article names.

`extract_actors(doc)` returns schema-v1 actor records, one per real-world participant with all
its mentions; `ActorIndex` maps a character span back to the actor whose mention covers it, for
the quote and event steps. The work is split into small modules:

- `lexicon`: role nouns, pronouns, institutions, known persons (data in lexicons/actors/)
- `roles`: role phrases ("der russische Verteidigungsminister") and the countries they name
- `names`: person names and their short and genitive forms
- `entities`: states, capitals, organisations, groups from the gazetteer and institutions
- `unnamed`: sources named by what they are, not who ("eine Armeesprecherin", "Diplomaten")
- `core`: putting it together: persons with roles, role-noun and pronoun mentions
"""
from workers.pipeline.actors.core import extract_actors
from workers.pipeline.actors.index import ActorIndex

__all__ = ["ActorIndex", "extract_actors"]
