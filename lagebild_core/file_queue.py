"""The embedded queue's transport: kombu's file-system transport, with messages written atomically.

kombu writes a message straight into the folder its consumers read (open, lock, write), and a
consumer takes no lock: one that lists the folder between the open and the write moves the still
empty file away and cannot decode it. Celery then stops the worker ("Unrecoverable error:
JSONDecodeError"), `lagebild serve` stops with it, and the message is gone (seen once in a test
run on a loaded machine). Here a message is written under a name no consumer takes and renamed into
place when it is complete (a rename within a folder is atomic), and a message that still cannot be
decoded (a file left by hand, a disk error) is dropped with a warning instead of stopping the
worker: the sweep publishes its job or delivery again, as for any lost message.
"""
from __future__ import annotations

import contextlib
import logging
import os
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

log = logging.getLogger(__name__)

PARTIAL = ".partial"  # a consumer takes "<ms>_<uuid>.<queue>.msg" only: this suffix hides a message being written


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written beside the folder's messages, then renamed into it."""
        complete = os.path.join(self.data_folder_out, f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg")
        partial = complete + PARTIAL
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, complete)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {complete!r} to directory") from error

    def _get(self, queue):
        """The next message of `queue`; one that cannot be decoded is dropped (Empty until the next look)."""
        try:
            return super()._get(queue)
        except ValueError:  # json.JSONDecodeError: the file is gone already, its job is the sweep's
            log.warning("dropped a message of queue %s that could not be decoded", queue, exc_info=True)
            raise Empty() from None


class Transport(filesystem.Transport):
    Channel = Channel
