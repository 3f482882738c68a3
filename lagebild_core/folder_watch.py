"""Waiting for files to arrive in a folder without looking at it over and over: Linux's inotify.

The embedded set-up's file-system queue (lagebild_core.file_queue) and its announcements of
finished jobs (lagebild_core.job_events) have no channel that wakes a reader: a reader looked
every 0.1 s, so a new message waited 50 ms on average for an idle worker, a finished job as long
for its long poll, and every look cost CPU while nothing happened. A `FolderWatch` blocks until a
file is renamed into its folder (how every writer of ours puts a file in place: complete, in one
step) or the timeout passes; the readers keep their periodic look as the fallback, for a missed
event (the kernel's queue overflowed) or a writer that does not rename.

Where inotify cannot be had (another OS, a container that refuses it, the per-user limit of
watches reached), `FolderWatch.open` returns None and the callers look at their interval as before.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import select
import struct
from pathlib import Path

log = logging.getLogger(__name__)

IN_MOVED_TO = 0x00000080  # a file was renamed into the folder
IN_Q_OVERFLOW = 0x00004000  # the kernel dropped events: what arrived meanwhile is unknown
_HEADER = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then len bytes of name)
_READ_BYTES = 64 * 1024


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.inotify_init1, libc.inotify_add_watch  # noqa: B018 - AttributeError where there is no inotify
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


def parse_events(data: bytes) -> tuple[list[str], bool]:
    """(the names of the files renamed in, whether events were lost) in a buffer of inotify events."""
    names: list[str] = []
    overflow = False
    offset = 0
    while offset + _HEADER.size <= len(data):
        _, mask, _, length = _HEADER.unpack_from(data, offset)
        offset += _HEADER.size
        name = data[offset:offset + length].split(b"\0", 1)[0]
        offset += length
        if mask & IN_Q_OVERFLOW:
            overflow = True
        elif mask & IN_MOVED_TO and name:
            names.append(os.fsdecode(name))
    return names, overflow


class FolderWatch:
    """An inotify watch for files renamed into one folder. Not shared across a fork: each process
    opens its own (the descriptor is closed on exec and only read by its opener)."""

    def __init__(self, fd: int, folder: Path):
        self.fd, self.folder = fd, folder

    @classmethod
    def open(cls, folder: Path | str) -> FolderWatch | None:
        """A watch of `folder` (which must exist), or None where inotify cannot be had."""
        if _LIBC is None:
            return None
        fd = _LIBC.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            log.warning("inotify is not available (%s): the folder %s is looked at periodically",
                        os.strerror(ctypes.get_errno()), folder)
            return None
        if _LIBC.inotify_add_watch(fd, os.fsencode(str(folder)), IN_MOVED_TO) < 0:
            error = ctypes.get_errno()
            os.close(fd)
            log.warning("cannot watch %s (%s): it is looked at periodically", folder, os.strerror(error))
            return None
        return cls(fd, Path(folder))

    def wait(self, timeout: float) -> tuple[list[str], bool]:
        """Block until files have been renamed into the folder or `timeout` seconds pass; return
        (their names, whether events were lost: the caller must look at the whole folder). Events
        that arrived before the call are returned at once."""
        try:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        except InterruptedError:
            return [], False
        if not ready:
            return [], False
        return self.drain()

    def drain(self) -> tuple[list[str], bool]:
        """The events waiting now, without blocking (see `wait`)."""
        names: list[str] = []
        overflow = False
        while True:
            try:
                data = os.read(self.fd, _READ_BYTES)
            except BlockingIOError:  # read all there was
                return names, overflow
            except InterruptedError:
                continue
            found, lost = parse_events(data)
            names += found
            overflow = overflow or lost

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)
