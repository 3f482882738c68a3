"""Fit a floret vectors table to multilingual-e5 word embeddings and save it as a spaCy vectors model.

A floret vector is the mean of the table rows that a word's hashed character n-grams (and the word
itself) select. Given e5's vectors for 130k words (``e5_words.py``), reduced by PCA, we solve the
ridge regression "table rows such that every word's floret mean is its e5 vector" with conjugate gradients. The
result keeps the e5 knowledge of the listed words in a table of the same size (50,000 x 100) as the
floret vectors trained on our own text, and gives any other word a vector composed from its n-grams,
as floret does.
"""
import argparse
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import spacy
from spacy.vectors import Vectors

FLORET = {"minn": 4, "maxn": 5, "hash_count": 2, "hash_seed": 2166136261, "bow": "<", "eow": ">"}


def load_targets(words_path: Path, vectors_path: Path, dim: int) -> tuple[list[str], np.ndarray]:
    """Return the word list and its e5 vectors reduced to ``dim`` PCA components (unit average norm)."""
    words = words_path.read_text(encoding="utf-8").split("\n")[:-1]
    vectors = np.load(vectors_path).astype(np.float32)
    vectors -= vectors.mean(axis=0)
    _, _, components = np.linalg.svd(vectors[::7], full_matrices=False)
    reduced = vectors @ components[:dim].T
    reduced /= np.linalg.norm(reduced, axis=1).mean()
    return words, reduced


def ngram_matrix(words: list[str], table: Vectors) -> sp.csr_matrix:
    """Sparse matrix whose row i averages the table rows that floret selects for words[i]."""
    indptr, indices, data = [0], [], []
    for word in words:
        rows = [h % table.shape[0] for ngram in table._get_ngrams(word) for h in table._get_ngram_hashes(ngram)]
        indices.extend(rows)
        data.extend([1.0 / len(rows)] * len(rows))
        indptr.append(len(indices))
    return sp.csr_matrix((data, indices, indptr), shape=(len(words), table.shape[0]), dtype=np.float32)


def fit(matrix: sp.csr_matrix, targets: np.ndarray, damp: float, iters: int) -> np.ndarray:
    """Ridge least-squares table: CGLS on all dimensions at once (min |AX - Y|^2 + damp^2 |X|^2)."""
    matrix_t = matrix.T.tocsr()
    table = np.zeros((matrix.shape[1], targets.shape[1]), dtype=np.float32)
    residual = targets.astype(np.float32)
    gradient = matrix_t @ residual
    direction = gradient.copy()
    gamma = (gradient ** 2).sum(axis=0)
    # a dimension stops once its gradient has shrunk by 1e-5: past that, float32 round-off makes
    # the step sizes 0/0 and the iteration diverges
    tolerance = 1e-10 * gamma
    for _ in range(iters):
        active = gamma > tolerance
        if not active.any():
            break
        projected = matrix @ direction
        curvature = (projected ** 2).sum(axis=0) + damp ** 2 * (direction ** 2).sum(axis=0)
        alpha = np.where(active, gamma / np.where(active, curvature, 1), 0).astype(np.float32)
        table += alpha * direction
        residual -= alpha * projected
        gradient = matrix_t @ residual - damp ** 2 * table
        gamma_next = (gradient ** 2).sum(axis=0)
        beta = np.where(active, gamma_next / np.where(active, gamma, 1), 0).astype(np.float32)
        direction = gradient + beta * direction
        gamma = gamma_next
    return table


def mean_cosine(pred: np.ndarray, gold: np.ndarray) -> float:
    """Average cosine between matching rows."""
    num = (pred * gold).sum(axis=1)
    return float((num / (np.linalg.norm(pred, axis=1) * np.linalg.norm(gold, axis=1) + 1e-9)).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("words", type=Path)
    ap.add_argument("vectors", type=Path, help="e5 vectors of the words, from e5_words.py embed")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--damp", type=float, default=0.05)
    ap.add_argument("--iters", type=int, default=60)
    a = ap.parse_args()
    words, targets = load_targets(a.words, a.vectors, a.dim)
    table = Vectors(mode="floret", data=np.zeros((a.rows, 1), dtype=np.float32), **FLORET)
    matrix = ngram_matrix(words, table)
    held_out = np.arange(len(words)) % 20 == 19
    listed, listed_targets = matrix[~held_out], targets[~held_out]
    # the 5 % held out only tell how well a word outside the list is composed from its n-grams
    data = fit(listed, listed_targets, a.damp, a.iters)
    print(f"fit cosine: listed words {mean_cosine(listed @ data, listed_targets):.3f}, "
          f"unlisted (5 % held out) {mean_cosine(matrix[held_out] @ data, targets[held_out]):.3f}")
    nlp = spacy.blank("de")
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, mode="floret", data=data, attr="ORTH", **FLORET)
    nlp.to_disk(a.out)
    print(a.out, data.shape)


if __name__ == "__main__":
    main()
