"""What the evaluation scripts share: reading annotated articles and writing their section of a
markdown report.

Annotations never contain article text: seeds are read from seeds/, 10kGNAD articles from
../shared/data by row number.
"""
from __future__ import annotations

import csv
import io
import json
import lzma
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


@lru_cache(maxsize=2)
def load_gnad(data: Path) -> list[list[str]]:
    """Return the rows (label, text) of 10kGNAD's test split."""
    with lzma.open(Path(data) / "10kgnad" / "test.csv.xz", "rt", encoding="utf-8") as f:
        return list(csv.reader(io.StringIO(f.read()), delimiter=";", quotechar="'"))


def annotated_articles(folder: Path, data: Path) -> list[tuple[dict, dict, str, str]]:
    """Return (file spec, article record, display name, text) for every article annotated in `folder`."""
    found = []
    for path in sorted(folder.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for article in spec["articles"]:
            if spec["dataset"] == "seeds":
                text = (ROOT / "seeds" / article["file"]).read_text(encoding="utf-8")
                name = f"seeds/{article['file']}"
            elif spec["dataset"] == "10kgnad":
                text = load_gnad(Path(data))[article["row"]][1]
                name = f"10kgnad/test row {article['row']}"
            else:
                raise ValueError(f"{path}: unknown dataset {spec['dataset']!r}")
            found.append((spec, article, name, text))
    return found


def write_section(path: Path, name: str, body: str) -> None:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->` in `path`,
    appending the marked section when it is absent; the rest of the file is left alone."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + ("\n\n" if text.strip() else "") + section + "\n"
    path.write_text(text, encoding="utf-8")
