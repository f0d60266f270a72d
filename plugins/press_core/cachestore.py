"""Values a build keeps for the next one, one SQLite file each (issue 10).

The source cache (:mod:`.sourcecache`: parsed content files) and the Markdown cache
(:class:`press_core.markup.MarkdownCache`: rendered bodies) each hold some 190 MB at 10,000
articles × 3 languages, of which a rebuild after one edit changes one value.  Kept as one
pickle, each was written whole again on such a rebuild (1.2 s and 0.7 s at 10k), and the
Markdown one was read whole before the build could start.  In a table, a build reads the
keys (and stamps) first and a value only when it takes it, and saving writes what changed:
the values it stored, and the deletion of the ones no longer taken.

A *stamp* is what a value was made from when the key alone does not say it (a content file's
identity); a value is returned only for the same stamp.  The *salt* covers what makes the
values (their code, the library versions): a file with another salt is started anew.

A caller that knows which keys it will ask for, in which order (a rebuild reads every content
file through the source cache, then every body through the Markdown cache), says so with
:meth:`CacheStore.expect`; the values are then read :data:`CHUNK` to a query (at 10k articles,
64,000 queries of one value each took a second of a one-change rebuild).

SQLite (the standard library's ``sqlite3``) rather than a file format of our own: its
transactions leave either the last saved state or the new one, whatever stops the build,
and a damaged file raises an error instead of returning damaged bytes: the caller then reads
and renders again.  It syncs nothing to disk (``synchronous = OFF``): a cache that an operating
system crash leaves broken is started anew, like a missing one.

Forked workers (press_core.parallel) inherit the open connection but never use it, and they
leave with ``os._exit``, which closes nothing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

CHUNK = 256  # values read in one query, for the keys a build said it would ask for (expect)


class CacheStore:
    """Values (bytes) by key and stamp; ``path`` None: a store that keeps nothing."""

    def __init__(self, path: Path | None, salt: bytes):
        self.path, self.salt = path, salt
        self.stamps: dict[str, str] = {}  # key -> stamp of every value in the file
        self.taken: set[str] = set()  # keys of the values this build took
        self.stored: set[str] = set()  # keys of the values this build made (written at once)
        self.expected: list[str] = []  # the keys the build will ask for, in order (expect)
        self.position: dict[str, int] = {}  # key -> its place in expected
        self.ahead: dict[str, bytes] = {}  # values read with an earlier key's chunk, not taken yet
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except sqlite3.OperationalError:  # locked by another build for long: keep nothing
                self.close()
            except sqlite3.DatabaseError:  # damaged, or not ours: start anew
                self.close()
                path.unlink(missing_ok=True)
                self._open()

    def _open(self) -> None:
        db = self._db = sqlite3.connect(self.path, isolation_level=None)  # transactions as below
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA page_size = 16384")  # a new file's: a rendered page's text fits in one
        db.execute("CREATE TABLE IF NOT EXISTS salt (salt BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS value (key TEXT PRIMARY KEY, stamp TEXT, data BLOB)")
        db.execute("CREATE INDEX IF NOT EXISTS stamps ON value (key, stamp)")  # read without the data
        salt = db.execute("SELECT salt FROM salt").fetchone()
        if salt is None or salt[0] != self.salt:
            db.execute("BEGIN")
            db.execute("DELETE FROM salt")
            db.execute("DELETE FROM value")
            db.execute("INSERT INTO salt VALUES (?)", (self.salt,))
            db.execute("COMMIT")
            return
        self.stamps = dict(db.execute("SELECT key, stamp FROM value"))

    def close(self) -> None:
        """Close the file without saving (what this build stored is not committed)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self.expected, self.position, self.ahead = [], {}, {}

    def __contains__(self, key: str) -> bool:
        return key in self.stamps

    def expect(self, keys: list[str]) -> None:
        """The keys the build asks for next, in this order: :meth:`get` then reads their values
        a chunk at a time.  Asking in another order, or for other keys, works as well."""
        self.expected = [key for key in keys if key in self.stamps]
        self.position = {key: index for index, key in enumerate(self.expected)}
        self.ahead = {}

    def get(self, key: str, stamp: str = "") -> bytes | None:
        """The value stored under ``key`` for ``stamp``; None if there is none (or it is damaged)."""
        if self.stamps.get(key) != stamp or self._db is None:
            return None
        data = self.ahead.pop(key, None)
        try:
            if data is None and key in self.position:
                start = self.position[key]
                chunk = self.expected[start : start + CHUNK]
                query = f"SELECT key, data FROM value WHERE key IN ({','.join('?' * len(chunk))})"
                self.ahead.update(self._db.execute(query, chunk))
                data = self.ahead.pop(key, None)
            elif data is None:
                row = self._db.execute("SELECT data FROM value WHERE key = ?", (key,)).fetchone()
                data = row[0] if row is not None else None
        except sqlite3.DatabaseError as error:  # the caller makes the value again
            self._broken(error)
            return None
        if data is None:
            return None
        self.taken.add(key)
        return data

    def put(self, key: str, value: bytes, stamp: str = "") -> None:
        """Keep ``value`` for the next build: written now (not held in memory: a cold build
        makes every value), part of the next build's store once :meth:`save` commits it."""
        if self._db is None:
            return
        try:
            if not self._db.in_transaction:
                self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO value VALUES (?, ?, ?)", (key, stamp, value))
        except sqlite3.DatabaseError as error:
            self._broken(error)
            return
        self.stored.add(key)

    def save(self) -> None:
        """Commit the values this build stored and drop the ones it neither took nor stored;
        then close the file.  Nothing is written when nothing changed."""
        if self._db is None:
            return
        dropped = [(key,) for key in self.stamps if key not in self.taken and key not in self.stored]
        try:
            if dropped and not self._db.in_transaction:
                self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM value WHERE key = ?", dropped)
            if self._db.in_transaction:
                self._db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            self._broken(error)
        self.close()
        self.stamps, self.taken, self.stored = {}, set(), set()

    def _broken(self, error: sqlite3.DatabaseError) -> None:
        """This build takes and stores nothing more; if the file is damaged (not merely locked
        by another build, or on a full disk), the next build starts it anew."""
        self.close()
        if not isinstance(error, sqlite3.OperationalError):
            with contextlib.suppress(OSError):
                os.unlink(self.path)
