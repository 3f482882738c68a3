"""Every lexicon data file is a table with a header row, readable by the one loader."""
import re
from pathlib import Path

import pytest

from lagebild_core.lexicon import read_table

ROOT = Path(__file__).resolve().parents[2]
LEXICONS = (ROOT / "workers" / "pipeline" / "lexicons", ROOT / "lagebild_core" / "lexicons")


def _files():
    for folder in LEXICONS:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield pytest.param(path, id=path.relative_to(ROOT).as_posix())


@pytest.mark.parametrize("path", list(_files()))
def test_lexicon_file_has_a_header_row(path):
    assert path.suffix == ".tsv", "lexicon files are tab-separated tables"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in header), f"header row: {header}"
    assert len(set(header)) == len(header)
    rows = read_table(path)
    assert rows, "a table without rows"
    assert all(set(row) == set(header) for row in rows)
