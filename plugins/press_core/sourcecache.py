"""Content files parsed by an earlier build, so a rebuild reads only the files that changed (issue 10).

:meth:`ContentReader.read_file <press_core.reading.ContentReader.read_file>` reads a Markdown
file, scans it for e-mail addresses and parses its YAML front matter: at 10,000 articles × 3
languages that is some 6 s of a rebuild in which one file changed.  ``CACHE_PATH/sources.cache``
keeps, for every file read without a problem or a warning, its front matter and body as parsed,
under the file's identity: device, inode, size, modification and change time in nanoseconds.
A file whose identity is unchanged is not read again.  Every write to a file sets its change
time, which no tool can set back, so an edited file is read; a file written in the last
:data:`RACY_SECONDS` is not stored, as a second write in the same clock tick could leave all of
its times as they were (git's "racily clean" entries).  The file is stat'ed before it is read,
so a change while it is read is seen by the next build.  The entries are salted with the code
that makes them (the reader, YAML and e-mail modules, PyYAML's version) and the setting the
e-mail scan reads (``PUBLIC_EMAILS``): a change there reads every file again.

The cache is one file: an index (path → identity, offset, length) and then the entries, each a
pickle, mapped into memory rather than loaded, so the build holds only the entries it takes.

Written by hand: Pelican's content cache keys the output of Pelican's own readers on the file's
modification time, and the press reads content with its own reader (:mod:`press_core.reading`).
"""

from __future__ import annotations

import mmap
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

CACHE_NAME = "sources.cache"
RACY_SECONDS = 2
_LENGTH = 8  # bytes of the index's length at the start of the file


def identity_of(stat: os.stat_result) -> tuple[int, ...]:
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


class SourceCache:
    """Parsed files by path and identity (see the module docstring); ``path`` None: no cache."""

    def __init__(self, path: Path | None, salt: bytes):
        self.path, self.salt = path, salt
        self.index: dict[str, tuple] = {}  # path -> (identity, offset, length) in the mapped file
        self.taken: dict[str, tuple] = {}  # entries of the index this build used
        self.stored: dict[str, tuple] = {}  # files read anew: (identity, offset, length) in _new
        self._new = None  # their pickles, on disk until saved (a cold build reads every file)
        self._mapped: mmap.mmap | None = None
        self._start = 0
        if path is not None and path.is_file():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # unreadable, or empty
            return
        try:
            length = int.from_bytes(mapped[:_LENGTH], "little")
            salt, index = pickle.loads(mapped[_LENGTH : _LENGTH + length])
        except Exception:  # a broken or foreign file: read everything, write a new one
            mapped.close()
            return
        if salt != self.salt:
            mapped.close()
            return
        self._mapped, self._start, self.index = mapped, _LENGTH + length, index

    def get(self, path: Path) -> tuple[object | None, tuple[int, ...]]:
        """The value stored for ``path`` if the file is unchanged (else None), and the file's
        identity now, for :meth:`put` once the file is read."""
        if self.path is None:
            return None, ()
        identity = identity_of(os.stat(path))
        entry = self.index.get(str(path))
        if entry is None or entry[0] != identity:
            return None, identity
        try:
            value = pickle.loads(self._entry(entry[1], entry[2]))
        except Exception:  # a damaged cache file: read the file (and store it anew)
            return None, identity
        self.taken[str(path)] = entry
        return value, identity

    def put(self, path: Path, identity: tuple[int, ...], value) -> None:
        """Store ``value`` for the file read after :meth:`get` gave ``identity``."""
        if self.path is None or time.time_ns() - max(identity[3:]) < RACY_SECONDS * 10**9:
            return
        if self._new is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._new = tempfile.TemporaryFile(dir=self.path.parent)  # noqa: SIM115 (save() closes it)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.stored[str(path)] = (identity, self._new.tell(), len(data))
        self._new.write(data)

    def save(self) -> None:
        """Write the entries this build took or stored (files gone since are dropped), if that
        changes anything; then release the old file."""
        if self.path is not None and (self.stored or len(self.taken) != len(self.index)):
            index, offset = {}, 0
            lengths = [(key, entry[0], entry[2]) for key, entry in self.taken.items()]
            lengths += [(key, entry[0], entry[2]) for key, entry in self.stored.items()]
            for key, identity, length in lengths:
                index[key] = (identity, offset, length)
                offset += length
            head = pickle.dumps((self.salt, index), protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
            with open(partial, "wb") as handle:  # entries in the order of the index
                handle.write(len(head).to_bytes(_LENGTH, "little") + head)
                for _, offset, length in self.taken.values():
                    handle.write(self._entry(offset, length))
                if self._new is not None:
                    self._new.seek(0)
                    shutil.copyfileobj(self._new, handle)
            os.replace(partial, self.path)
        for opened in (self._mapped, self._new):
            if opened is not None:
                opened.close()
        self._mapped = self._new = None
        self.index, self.taken, self.stored = {}, {}, {}

    def _entry(self, offset: int, length: int) -> bytes:
        start = self._start + offset
        return self._mapped[start : start + length]
