"""Giving the C heap's free pages back to the system after a batch of articles (glibc's `malloc_trim`).

The layers of the pipeline allocate and free arrays of tens of MB for every batch. glibc raises its
threshold for serving a large block with its own `mmap` each time such a block is freed, so the
next batches' arrays come from the heap, whose free pages stay resident: 400 10kGNAD articles in
batches of 16 / 40,000 characters left a process at 294 MB (277-311) without a trim, at 254 MB
(the RSS of the loaded model) with one after each batch; the next batch faults the pages in again:
no CPU time measurable in batches of 16 / 40,000, about 3 % more in batches of 8 / 20,000. A fixed
threshold (MALLOC_MMAP_THRESHOLD_=131072: every large array a mapping of its own) also lowered it,
but took 18 % more CPU time.
"""
from __future__ import annotations

import ctypes


def _malloc_trim():
    """Return glibc's `malloc_trim`, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Give the free pages of every malloc arena back to the system (resident memory drops to
    what is in use; the next allocations that need them take fresh pages)."""
    if _TRIM is not None:
        _TRIM(0)
