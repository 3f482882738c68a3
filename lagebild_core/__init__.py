"""The model-free core that the HTTP service and the workers share.

Settings, the domain's use cases with the database (store/, with its migrations), the task
queue's Celery app, dates, the gazetteer, the actor registry's rules and the lexicon loader live
here: `service/` (HTTP) and `workers/` (Celery, pipeline) both import from this package and never
from each other. Nothing here loads spaCy or a model, and importing it has no side effects.
"""
