"""Storage: SQLAlchemy models, sessions and Alembic migrations."""
from lagebild_core.store.db import Database
from lagebild_core.store.models import Article, Base, Extraction, IdempotencyRecord, Job

__all__ = ["Article", "Base", "Database", "Extraction", "IdempotencyRecord", "Job"]
