"""Content files parsed by an earlier build, so a rebuild reads only the files that changed (issue 10).

:meth:`ContentReader.read_file <press_core.reading.ContentReader.read_file>` reads a Markdown
file, scans it for e-mail addresses and parses its YAML front matter: at 10,000 articles × 3
languages that is some 6 s of a rebuild in which one file changed.  ``CACHE_PATH/sources.sqlite``
keeps, for every file read without a problem or a warning, its front matter and body as parsed,
under the file's identity: device, inode, size, modification and change time in nanoseconds.
A file whose identity is unchanged is not read again.  Every write to a file sets its change
time, which no tool can set back, so an edited file is read; a file written in the last
:data:`RACY_SECONDS` is not stored, as a second write in the same clock tick could leave all of
its times as they were (git's "racily clean" entries).  The file is stat'ed before it is read,
so a change while it is read is seen by the next build.  The entries are salted with the code
that makes them (the reader, YAML and e-mail modules, PyYAML's version) and the setting the
e-mail scan reads (``PUBLIC_EMAILS``): a change there reads every file again.

The entries are pickles in a :class:`~press_core.cachestore.CacheStore`, which reads an entry
only when the build takes it and writes only what changed.

Written by hand: Pelican's content cache keys the output of Pelican's own readers on the file's
modification time, and the press reads content with its own reader (:mod:`press_core.reading`).
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from .cachestore import CacheStore

CACHE_NAME = "sources.sqlite"
RACY_SECONDS = 2


def identity_of(stat: os.stat_result) -> tuple[int, ...]:
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


class SourceCache:
    """Parsed files by path and identity (see the module docstring); ``path`` None: no cache."""

    def __init__(self, path: Path | None, salt: bytes):
        self.path = path
        self.store = CacheStore(path, salt)

    def __bool__(self) -> bool:
        """Whether an earlier build stored anything (else this is a cold build)."""
        return bool(self.store.stamps)

    def expect(self, paths: list[Path]) -> None:
        """The files :meth:`get` is asked for next, in order (see CacheStore.expect)."""
        self.store.expect([str(path) for path in paths])

    def get(self, path: Path) -> tuple[object | None, tuple[int, ...]]:
        """The value stored for ``path`` if the file is unchanged (else None), and the file's
        identity now, for :meth:`put` once the file is read."""
        if self.path is None:
            return None, ()
        identity = identity_of(os.stat(path))
        data = self.store.get(str(path), _stamp(identity))
        if data is None:
            return None, identity
        try:
            return pickle.loads(data), identity
        except Exception:  # a damaged entry: read the file (and store it anew)
            return None, identity

    def put(self, path: Path, identity: tuple[int, ...], value) -> None:
        """Store ``value`` for the file read after :meth:`get` gave ``identity``."""
        if self.path is None or time.time_ns() - max(identity[3:]) < RACY_SECONDS * 10**9:
            return
        self.store.put(str(path), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), _stamp(identity))

    def save(self) -> None:
        """Keep the entries this build took or stored (files gone since are dropped)."""
        self.store.save()


def _stamp(identity: tuple[int, ...]) -> str:
    return " ".join(map(str, identity))
