"""A small HTTP client for `lagebild submit`: post files, poll their jobs, fetch the results."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import requests
from tqdm import tqdm


def submit_files(server: str, files, *, published_at: str | None, wait: bool, timeout: float,
                 api_key: str) -> bool:
    """Submit every file; print one JSON line per file. Return True when all succeeded."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {api_key}"
    accepted = []
    ok = True
    for name in tqdm(files, desc="submitting", unit="file", file=sys.stderr):
        params = {"title": Path(name).stem, **({"published_at": published_at} if published_at else {})}
        response = session.post(f"{server}/v1/articles", params=params, data=Path(name).read_bytes(),
                                headers={"Content-Type": "text/plain; charset=utf-8"}, timeout=30)
        if response.status_code != 202:
            ok = False
            print(json.dumps({"file": name, "error": response.json()}, ensure_ascii=False))
            continue
        accepted.append((name, response.json(), response.headers["Operation-Location"]))
    if not wait:
        for name, article, _ in accepted:
            print(json.dumps({"file": name, "article": article}, ensure_ascii=False))
        return ok
    deadline = time.monotonic() + timeout
    with tqdm(total=len(accepted), desc="extracting", unit="article", file=sys.stderr) as bar:
        pending = list(accepted)
        while pending and time.monotonic() < deadline:
            still = []
            for name, article, monitor in pending:
                job = session.get(f"{server}{monitor}", timeout=30).json()
                if job["status"] == "succeeded":
                    result = session.get(f"{server}{job['links']['result']}", timeout=30).json()
                    print(json.dumps({"file": name, "extraction": result}, ensure_ascii=False))
                    bar.update(1)
                elif job["status"] == "failed":
                    ok = False
                    print(json.dumps({"file": name, "job": job}, ensure_ascii=False))
                    bar.update(1)
                else:
                    still.append((name, article, monitor))
            pending = still
            if pending:
                time.sleep(0.5)
    for name, article, monitor in pending:
        ok = False
        print(json.dumps({"file": name, "error": f"not done after {timeout} s", "job": monitor}))
    return ok
