"""Train floret (fastText with hashed subwords) vectors on the allowed raw text only."""
import argparse
from pathlib import Path

import floret

ap = argparse.ArgumentParser()
ap.add_argument("input")
ap.add_argument("output")  # floret .floret text table
ap.add_argument("--dim", type=int, default=100)
ap.add_argument("--bucket", type=int, default=50000)
ap.add_argument("--epoch", type=int, default=10)
ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
model = floret.train_unsupervised(
    a.input, model="cbow", mode="floret", hashCount=2, bucket=a.bucket, minn=4, maxn=5,
    minCount=3, dim=a.dim, epoch=a.epoch, thread=a.threads,
)
Path(a.output).parent.mkdir(parents=True, exist_ok=True)
model.save_floret_vectors(a.output)
print("saved", a.output)
