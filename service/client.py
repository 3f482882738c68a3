"""A small HTTP client for `lagebild submit`: post files, poll their jobs, fetch the results.

Every failure that concerns the whole run (server not reachable, key refused, an answer that is
not Lagebild's) is a `click.ClickException`: one line on stderr and exit status 1. A failure of
one article (a 422, a failed job) is that file's record: `{"file": …, "error": …}`.
"""
from __future__ import annotations

import json
import sys
import time

import click
import requests
from tqdm import tqdm

RETRIES = 3  # for 429 and 503, after their Retry-After


LONG_POLL_SECONDS = 10  # below the 30 s read timeout of every request


class Client:
    """The requests a submission needs, with the whole-run failures turned into one line."""

    def __init__(self, server: str, api_key: str):
        self.server = server.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {api_key}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        for attempt in range(RETRIES + 1):
            try:
                response = self.http.request(method, f"{self.server}{path}", timeout=30, **kwargs)
            except requests.ConnectionError:
                raise click.ClickException(
                    f"cannot reach Lagebild at {self.server}: is it running? (`make start` starts it; "
                    "--server or LAGEBILD_SERVER names another)") from None
            except requests.Timeout:
                raise click.ClickException(f"Lagebild at {self.server} did not answer within 30 s") from None
            if response.status_code in (429, 503) and attempt < RETRIES:
                time.sleep(min(float(response.headers.get("Retry-After", "1") or 1), 30))
                continue
            break
        if response.status_code == 401:
            raise click.ClickException(
                f"the server refused the API key (401: {_detail(response)}); set LAGEBILD_API_KEY "
                "(`make start` keeps one in var/api-key) or pass --api-key")
        if response.status_code == 403:
            raise click.ClickException(f"the API key may not do this (403: {_detail(response)}); "
                                       "use a write key (`lagebild keys create --tenant NAME --scope write`)")
        if not response.headers.get("Content-Type", "").startswith(("application/json", "application/problem+json")):
            raise click.ClickException(
                f"{self.server} does not answer like Lagebild ({method} {path}: HTTP {response.status_code}, "
                f"{response.headers.get('Content-Type') or 'no content type'})")
        return response


def _detail(response: requests.Response) -> str:
    try:
        return response.json().get("detail") or response.reason
    except ValueError:
        return response.reason


def submit_files(server: str, articles: list[tuple[str, dict]], *, wait: bool, timeout: float,
                 api_key: str) -> bool:
    """Submit every (file name, article JSON) pair; print one JSON line per file, in input order.
    An article with an `external_id` is sent with it as its `Idempotency-Key`: submitting the
    same file again finds the first submission instead of adding a copy. Return True when all
    succeeded."""
    client = Client(server, api_key)
    records: dict[int, dict] = {}
    pending: dict[int, str] = {}  # position -> job monitor
    with _progress(len(articles), "submitting", "file") as bar:
        for position, (name, payload) in enumerate(articles):
            headers = {"Idempotency-Key": payload["external_id"]} if payload.get("external_id") else {}
            response = client.request("POST", "/v1/articles", json=payload, headers=headers)
            if response.status_code != 202:
                records[position] = {"file": name, "error": response.json()}
            elif wait:
                pending[position] = response.headers["Operation-Location"]
            else:
                records[position] = {"file": name, "article": response.json()}
            bar.update(1)
    printed = _print_ready(records, 0)
    if wait:
        deadline = time.monotonic() + timeout
        with _progress(len(pending), "extracting", "article") as bar:
            while pending and time.monotonic() < deadline:
                # the oldest pending job is long-polled (Prefer: wait), the others only looked at
                wait = max(1, min(LONG_POLL_SECONDS, int(deadline - time.monotonic())))
                for position, monitor in list(pending.items()):
                    record = _finished(client, articles[position][0], monitor, wait)
                    wait = 0
                    if record is not None:
                        records[position] = record
                        del pending[position]
                        bar.update(1)
                printed = _print_ready(records, printed)
        for position, monitor in pending.items():
            records[position] = {"file": articles[position][0], "error": f"not done after {timeout:g} s",
                                 "job": monitor}
    _print_ready(records, printed)
    return all("error" not in record for record in records.values())


def _progress(total: int, what: str, unit: str) -> tqdm:
    """A progress bar on a terminal's stderr that clears itself, so that an error stays one line."""
    return tqdm(total=total, desc=what, unit=unit, file=sys.stderr, leave=False, disable=not sys.stderr.isatty())


def _finished(client: Client, name: str, monitor: str, wait: int = 0) -> dict | None:
    """The file's record once its job is done, else None; waits up to `wait` s for the job to finish."""
    response = client.request("GET", monitor, headers={"Prefer": f"wait={wait}"} if wait else {})
    if response.status_code != 200:
        return {"file": name, "error": response.json()}
    job = response.json()
    if job["status"] == "failed":
        return {"file": name, "error": job.get("error") or "the extraction job failed", "job": job}
    if job["status"] != "succeeded":
        return None
    result = client.request("GET", job["links"]["result"])
    if result.status_code != 200:
        return {"file": name, "error": result.json()}
    return {"file": name, "extraction": result.json()}


def _print_ready(records: dict[int, dict], printed: int) -> int:
    """Print the records from position `printed` on, as far as they are complete; return the
    next position to print (output stays in input order, and appears as soon as it can)."""
    while printed in records:
        print(json.dumps(records[printed], ensure_ascii=False), flush=True)
        printed += 1
    return printed
