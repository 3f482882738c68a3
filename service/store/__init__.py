"""Storage: SQLAlchemy models, sessions and Alembic migrations."""
from service.store.db import Database
from service.store.models import Article, Base, Extraction, IdempotencyRecord, Job

__all__ = ["Article", "Base", "Database", "Extraction", "IdempotencyRecord", "Job"]
