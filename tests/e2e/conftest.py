"""The embedded-default service (`lagebild serve`: gunicorn + worker, SQLite + file queue)."""
from __future__ import annotations

import pytest

from tests.support.live import LiveService


@pytest.fixture(scope="package")
def embedded(tmp_path_factory):
    data = tmp_path_factory.mktemp("embedded")
    service = LiveService({"LAGEBILD_DATA_DIR": str(data), "LAGEBILD_DATABASE_URL": "",
                           "LAGEBILD_BROKER_URL": "", "LAGEBILD_RATE_LIMIT_READ": "100000/minute"},
                          tmp_path_factory.mktemp("logs"))
    service.data_dir = data
    service.use_key("e2e")
    service.start("serve", "serve")
    try:
        service.wait_ready()
        yield service
    finally:
        service.stop()
