"""The `lagebild` command line as a new user meets it (issue 19): every command's --help has an
example; `submit` against a server that is down, with a wrong key, or with an unreadable file
ends with ONE line on stderr and a non-zero exit status; `submit` prints `extract`'s record
(with the file name) in input order and finds a file with an `external_id` again instead of
adding a copy. The server is the test app, served over real HTTP from a thread."""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import click
import pytest
from werkzeug.serving import make_server

from service.cli import main
from tests.api.conftest import create_key
from tests.support.live import free_port

ROOT = Path(__file__).resolve().parents[2]


def _commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_command_help_has_an_example():
    commands = [((), main), *_commands(main)]
    assert len(commands) >= 12
    for path, command in commands:
        with click.Context(command, info_name=" ".join(("lagebild", *path))) as ctx:
            text = command.get_help(ctx)
        assert "Example" in text and "lagebild" in text.split("Example", 1)[1], f"`lagebild {' '.join(path)} --help`"


@pytest.fixture
def server(app):
    """The module's app on a real port, in a thread."""
    http = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


def lagebild(*args: str, key: str = "", server: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAGEBILD_API_KEY": key, "LAGEBILD_SERVER": server}
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True,
                          timeout=60, cwd=cwd, env=env)


def assert_one_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "artikel.txt"
    path.write_text("Moskau warnte am Freitag vor Sanktionen.", encoding="utf-8")
    return path


def test_server_down_is_one_line(article):
    down = f"http://127.0.0.1:{free_port()}"
    assert_one_line(lagebild("submit", str(article), key="lb_x_y", server=down), "cannot reach", down)


def test_wrong_key_is_one_line(server, article):
    assert_one_line(lagebild("submit", str(article), key="lb_nicht_gueltig", server=server), "401", "API key")


def test_no_key_is_one_line(server, article):
    assert_one_line(lagebild("submit", str(article), server=server), "no API key")


def test_read_only_key_is_one_line(app, server, article):
    key = create_key(app, "tenant-a", "read")
    assert_one_line(lagebild("submit", str(article), key=key, server=server), "403")


def test_another_service_on_the_port_is_one_line(article, tmp_path):
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        result = lagebild("submit", str(article), key="k", server=f"http://127.0.0.1:{other.server_port}/")
    finally:
        other.shutdown()
    assert_one_line(result, "does not answer like Lagebild")


@pytest.mark.parametrize("case", ["missing", "directory", "latin-1", "bad meta"])
def test_unreadable_files_are_one_line_and_nothing_is_sent(app, server, article, tmp_path, case):
    key = create_key(app)
    bad = {"missing": tmp_path / "fehlt.txt", "directory": tmp_path, "latin-1": tmp_path / "latin.txt",
           "bad meta": article}[case]
    if case == "latin-1":
        bad.write_bytes("Grüße".encode("latin-1"))
    if case == "bad meta":
        article.with_suffix(".meta.json").write_text('{"published_at": "16.10.2024"}', encoding="utf-8")
    result = lagebild("submit", str(article), str(bad), key=key, server=server)
    assert_one_line(result, str(bad) if case != "bad meta" else "meta.json")
    assert result.stdout == ""
    listed = app.test_client().get("/v1/articles", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert listed["items"] == [], "a failed command submitted something"
    for command in (["extract"], ["extract", "--published-at", "2024-10-16"]):
        assert_one_line(lagebild(*command, str(bad)), str(bad) if case != "bad meta" else "meta.json")


def test_submit_names_files_in_input_order_and_finds_them_again(app, server, tmp_path):
    key = create_key(app)
    files = []
    for number, text in enumerate(["Erster Artikel aus Moskau.", "Zweiter Artikel aus Peking.", "Dritter."]):
        path = tmp_path / f"{9 - number}.txt"  # names not in sorted order
        path.write_text(text, encoding="utf-8")
        path.with_suffix(".meta.json").write_text(
            json.dumps({"published_at": "2024-10-16", "external_id": f"test-{number}"}), encoding="utf-8")
        files.append(str(path))
    first = lagebild("submit", *files, key=key, server=server)
    assert first.returncode == 0, first.stderr
    records = [json.loads(line) for line in first.stdout.splitlines()]
    assert [record["file"] for record in records] == files
    assert all(record["article"]["published_at"] == "2024-10-16" for record in records)
    again = lagebild("submit", *files, key=key, server=server)
    assert again.returncode == 0, again.stderr
    assert [json.loads(line)["article"]["id"] for line in again.stdout.splitlines()] == \
        [record["article"]["id"] for record in records]
    listed = app.test_client().get("/v1/articles", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert len(listed["items"]) == 3, "a second submit added copies"
