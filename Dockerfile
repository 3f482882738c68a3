# Lagebild: one image for the API, the Celery workers, beat and the migration job.
# The default command is the API; docker-compose.yml runs the other roles from the same image.
FROM python:3.11-slim

# PYTHONPATH: the code in /app comes before the installed copy, so that the shipped model is
# found next to it (models/de_lagebild) just as in a checkout.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    LAGEBILD_DATA_DIR=/var/lib/lagebild \
    LAGEBILD_BIND=0.0.0.0:8000

WORKDIR /app

# Dependencies and the package first: rebuilt only when pyproject.toml or the code changes.
COPY pyproject.toml README.md ./
COPY lagebild_core ./lagebild_core
COPY service ./service
COPY workers ./workers
RUN pip install . \
    && rm -rf build ./*.egg-info

# The model and the rest of the build context (.dockerignore lets only what runs through).
COPY . .
RUN python -m compileall -q lagebild_core service workers \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/lagebild lagebild \
    && mkdir -p /var/lib/lagebild \
    && chown lagebild:lagebild /var/lib/lagebild

USER lagebild
EXPOSE 8000

# Liveness of the API (python: the slim image has no curl). The worker and beat services
# in docker-compose.yml replace it with their own checks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["lagebild", "serve", "--no-worker"]
