"""Each seed article has its fields beside it (seeds/NAME.meta.json): the publication date our
event annotations read it with, and an external id that makes `make start` idempotent."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_seed_has_its_annotated_date_and_an_external_id():
    annotated = {a["file"]: a["published_at"] for a in json.loads(
        (ROOT / "evaluation/annotations/events/seeds.json").read_text(encoding="utf-8"))["articles"]}
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    assert len(seeds) == 5 and set(annotated) == {seed.name for seed in seeds}
    ids = set()
    for seed in seeds:
        meta = json.loads(seed.with_suffix(".meta.json").read_text(encoding="utf-8"))
        assert meta["published_at"] == annotated[seed.name], seed.name
        ids.add(meta["external_id"])
    assert len(ids) == 5
