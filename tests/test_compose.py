"""docker-compose.yml and the Dockerfile: the production stack's structure, checked without Docker;
`docker compose config` validates the file when a Compose CLI is installed."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import fields
from pathlib import Path

import click
import pytest
import yaml
from sqlalchemy.engine import make_url

from service.cli import main
from lagebild_core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("migrate", "api", "worker", "beat")
SETTINGS_VARIABLES = {f"LAGEBILD_{f.name.upper()}" for f in fields(Settings)}
DATABASE_URL = "postgresql+psycopg://lagebild:lagebild@postgres:5432/lagebild"
BROKER_URL = "redis://redis:6379/0"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def healthcheck_text(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def resolve_command(argv: list[str]) -> click.Command:
    """The click command `argv` runs, with its options parsed (raises on unknown ones)."""
    assert argv[0] == "lagebild", argv
    command, args = main, list(argv[1:])
    while isinstance(command, click.Group):
        assert args and args[0] in command.commands, f"no such subcommand: {argv}"
        command = command.commands[args.pop(0)]
    command.make_context(" ".join(argv[:-len(args) or None]), args)  # parses only
    return command


def test_services(services):
    assert set(services) == {"migrate", "api", "worker", "beat", "redis", "postgres"}
    assert services["redis"]["image"].startswith("redis:7")
    assert services["postgres"]["image"].startswith("postgres:16")


def test_app_services_share_one_image(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    assert all(services[name]["build"] in (".", {"context": "."}) for name in APP_SERVICES)


@pytest.mark.parametrize("name, argv", [
    ("migrate", ["lagebild", "db", "upgrade"]),
    ("api", ["lagebild", "serve", "--no-worker"]),
    ("worker", ["lagebild", "worker", "--no-beat"]),
    ("beat", ["lagebild", "beat"]),
])
def test_commands_are_lagebild_subcommands(services, name, argv):
    command = services[name]["command"]
    assert command == argv
    resolve_command(command)


def test_resolve_command_rejects_unknown_commands_and_options():
    with pytest.raises(AssertionError):
        resolve_command(["lagebild", "serv"])
    with pytest.raises(click.UsageError):
        resolve_command(["lagebild", "serve", "--no-workers"])


def test_environment_names_real_settings(services):
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert isinstance(environment, dict), f"{name}: use a mapping for environment"
        unknown = {key for key in environment if key.startswith("LAGEBILD_")} - SETTINGS_VARIABLES
        assert not unknown, f"{name}: {unknown} are not Settings fields"
        assert environment["LAGEBILD_DATABASE_URL"] == DATABASE_URL
        assert environment["LAGEBILD_BROKER_URL"] == BROKER_URL
        settings = Settings.from_env({key: str(value) for key, value in environment.items()})
        assert settings.effective_database_url == DATABASE_URL and settings.effective_broker_url == BROKER_URL
    assert Settings.from_env({k: str(v) for k, v in services["api"]["environment"].items()}).bind == "0.0.0.0:8000"


def test_postgres_credentials_match_the_database_url(services):
    url = make_url(DATABASE_URL)
    environment = services["postgres"]["environment"]
    assert (environment["POSTGRES_USER"], environment["POSTGRES_PASSWORD"], environment["POSTGRES_DB"]) == \
           (url.username, url.password, url.database)
    assert url.host == "postgres" and make_url(BROKER_URL.replace("redis", "redis+x", 1)).host == "redis"


def test_backing_services_have_healthchecks_and_volumes(compose, services):
    assert "redis-cli" in healthcheck_text(services["redis"]) and "ping" in healthcheck_text(services["redis"])
    assert "pg_isready" in healthcheck_text(services["postgres"])
    volume = next(v for v in services["postgres"]["volumes"] if v.endswith(":/var/lib/postgresql/data"))
    assert volume.split(":")[0] in compose["volumes"], "PostgreSQL data must live in a named volume"


def test_app_healthchecks(services):
    api = healthcheck_text(services["api"])
    assert "python" in api and "/readyz" in api and "curl" not in api
    worker = healthcheck_text(services["worker"])
    assert "celery" in worker and "ping" in worker
    python_code = services["worker"]["healthcheck"]["test"][-1]
    compile(python_code, "worker-healthcheck", "exec")
    compile(services["api"]["healthcheck"]["test"][-1], "api-healthcheck", "exec")


def test_start_order(services):
    for name in ("api", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"].get("restart", "no") == "no"


def test_worker_is_scalable_and_beat_single(services):
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert "scale" not in worker and "replicas" not in worker.get("deploy", {})
    beat = services["beat"]
    assert "scale" not in beat and beat.get("deploy", {}).get("replicas", 1) == 1
    assert "container_name" not in services["api"]
    assert any(str(port).endswith("8000") for port in services["api"]["ports"])


# --- Dockerfile -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def instruction(dockerfile, keyword) -> list[str]:
    return [rest for key, rest in dockerfile if key == keyword]


def test_dockerfile(dockerfile):
    assert instruction(dockerfile, "FROM") == ["python:3.11-slim"]
    assert any(re.search(r"pip install \.(\s|$)", run) for run in instruction(dockerfile, "RUN"))
    assert instruction(dockerfile, "EXPOSE") == ["8000"]
    assert json.loads(instruction(dockerfile, "CMD")[-1]) == ["lagebild", "serve", "--no-worker"]
    resolve_command(json.loads(instruction(dockerfile, "CMD")[-1]))
    user = instruction(dockerfile, "USER")[-1]
    assert user not in ("root", "0") and not user.startswith("0:")
    healthcheck = instruction(dockerfile, "HEALTHCHECK")[-1]
    assert "/healthz" in healthcheck and "python" in healthcheck and "curl" not in healthcheck
    env = " ".join(instruction(dockerfile, "ENV"))
    assert "LAGEBILD_BIND=0.0.0.0:8000" in env  # reachable from outside the container


def test_dockerignore_lets_the_runtime_files_through():
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[0] == "*"
    for needed in ("pyproject.toml", "README.md", "lagebild_core/", "service/", "workers/", "models/"):
        assert f"!{needed}" in lines, needed
    for path in ("pyproject.toml", "README.md"):
        assert (ROOT / path).exists()


# --- the real Compose CLI -------------------------------------------------------------------------

def compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_config_is_valid():
    cli = compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    result = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr


# --- the front door: the same gunicorn settings wherever `lagebild serve` runs ---------------------

def test_serve_runs_gunicorn_with_the_front_door():
    from service.cli import gunicorn_command
    from service import gunicorn_conf
    command = gunicorn_command("0.0.0.0:8000", 2)
    assert command[command.index("--config") + 1] == "python:service.gunicorn_conf"
    assert command[-1] == "service.wsgi:app"
    assert gunicorn_conf.worker_class == "service.frontdoor.Worker"
    assert gunicorn_conf.keepalive > 0, "keepalive 0 would read request heads without a timeout"
    assert gunicorn_conf.worker_connections >= 200 and gunicorn_conf.control_socket_disable


def test_api_container_may_hold_the_front_doors_connections(services):
    from service import gunicorn_conf
    workers = int(services["api"]["environment"]["LAGEBILD_API_WORKERS"])
    nofile = services["api"]["ulimits"]["nofile"]
    assert min(nofile["soft"], nofile["hard"]) > workers * gunicorn_conf.worker_connections + 100


def test_the_front_door_is_a_dependency():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"gevent==[\d.]+"', text), "gevent must be pinned in pyproject.toml"
