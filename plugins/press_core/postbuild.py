"""What the build does to the rendered site before ``SHA256SUMS``: fingerprint, compress, zip.

:func:`finish` runs in :func:`press_core.build.build` once Pelican has written every
page, in this order (``SHA256SUMS`` comes last, so it lists all of it):

1. **fingerprint** the theme's assets (:mod:`press_core.assets`): ``theme/css/press.css``
   becomes ``theme/css/press.3f2a91c0.css``, the name the pages already link;
2. **compress**: beside every text file (HTML, CSS, JS, XML, JSON, SVG, TXT, CSV …) a
   ``.gz`` and a ``.br`` sibling, which static servers send instead of compressing on
   every request (nginx ``gzip_static``/``brotli_static``, Caddy ``precompressed``);
   a sibling is written only for a file of 1 KB or more and only when smaller.  Set
   ``PRECOMPRESS = False`` to write none;
3. **offline copy**: ``OFFLINE_COPY`` (``open-press-offline.zip``; empty: none), the whole
   site in one zip under one folder, without the compressed siblings but with its own
   ``SHA256SUMS`` (the files it holds, for ``sha256sum -c`` in the unzipped copy), to unzip and open
   ``index.html`` from disk (every link is relative, search runs from ``file://``).

Every byte is reproducible: gzip headers carry no time and no file name and say "unknown
OS" (zlib writes the build machine's); brotli comes from the pinned ``brotli`` package
(quality ``BROTLI_QUALITY``, default 5); zip entries are sorted, dated with the built commit
(or ``SOURCE_DATE_EPOCH``; 1980-01-01 outside a checkout) and carry fixed permissions.
The deflate streams of ``.gz`` and ``.zip`` come from the system's zlib, so compare
builds made with the same zlib (stock zlib everywhere but distributions that ship
zlib-ng, such as Fedora 40 and later).

Speed (issue 10): the files are compressed by forked workers (``RENDER_PROCESSES``,
:mod:`press_core.parallel`).  A page the page cache kept stays in the last good output with
its siblings; a file written again with the same bytes at the same path (a feed, a search
shard or a page rendered again to the same text) gets that output's siblings, linked, when that
output was compressed the same way (brotli and zlib versions, level and quality:
``CACHE_PATH/siblings.txt``) and the sibling is unchanged since that build wrote
``SHA256SUMS``; so a rebuild compresses only what changed.  Nothing else is cached: storing
every sibling once more (an SQLite cache until 2026-11) cost a 10k-article build 6 s of its
26 s of compression, for files the previous output holds anyway.  A build that reuses
siblings is byte-identical to a clean one.  Brotli's quality costs: on this site's pages
quality 11 takes about 18 ms a file, 5 about 0.3 ms for output 17 % larger — the default is
5; a publishing build that keeps its last output can afford 11 (``BROTLI_QUALITY``).  The
offline zip's entries reuse the deflate streams compression made (the same zlib level 6 the
zip asks for, so the same bytes) with the file's CRC-32 and size, instead of reading and
compressing the site a second time: the workers send them with their results, and they wait
in one temporary file (:class:`Spool`) rather than be read back from the ``.gz`` siblings.
On a rebuild, the entries of files the last output had with the same bytes come from that
output's zip (:class:`EarlierCopy`), read in one pass rather than from tens of thousands of
small files; where each entry is in that zip comes from the list the build that wrote it kept
in the cache (``CACHE_PATH/offline-zip.pickle``, for a zip with that file's identity) rather than
from the zip's central directory (``zipfile`` took 0.4 s for its 62,000 entries at 10k).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import hashlib
import mmap
import os
import pickle
import re
import tempfile
import zipfile
import zlib
from pathlib import Path

import brotli

from .assets import fingerprint, manifest_of
from .git import build_date
from .pagecache import KEPT_FILES, PREVIOUS_OUTPUT, RECORDED_PAGES, file_identity, link_or_copy, write_pending
from .parallel import fork_imap, fork_map, processes_of
from .problems import ContentError, Problem, setting_line

TEXT_SUFFIXES = {".html", ".htm", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".csv",
                 ".tsv", ".md", ".map", ".webmanifest", ".ics"}  # fmt: skip
COMPRESSED = (".gz", ".br")
# Smaller files get no siblings: their response fits in one packet either way (nginx's
# gzip_min_length advice, CDNs' 1 KB minimum), and a search index has tens of thousands of them.
MIN_SIBLING_BYTES = 1024
DEFAULT_OFFLINE_COPY = "open-press-offline.zip"
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest date a zip entry can hold
DEFAULT_BROTLI_QUALITY = 5
# zlib's default level: 9 takes twice as long for 0.6 % smaller files.  Also the offline zip's
# level: its entries reuse the .gz deflate streams.
GZIP_LEVEL = 6
CHECKSUMS = "SHA256SUMS"  # at the output's root, written last (press_core.build)
SIBLINGS_STATE = "siblings.txt"  # in CACHE_PATH: how the last good output was compressed
ZIP_ENTRIES = "offline-zip.pickle"  # in CACHE_PATH: where each entry of that output's zip is
_ZIP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.zip$")


# -- 2. compression ------------------------------------------------------------------------------
def gzip_bytes(data: bytes) -> bytes:
    """gzip at GZIP_LEVEL with a fixed header: no mtime, no file name, OS "unknown" (RFC 1952)."""
    member = bytearray(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    member[9] = 255  # zlib writes the OS it was built for (3 on Unix, 19 on macOS …)
    return bytes(member)


def files_under(folder: str | Path) -> list[str]:
    """Every file below ``folder``, as POSIX paths relative to it, in no particular order.

    ``os.scandir`` rather than ``Path.rglob``: on a site of a hundred thousand files pathlib's
    per-path objects cost more than reading the files."""
    found, todo = [], [""]
    while todo:
        prefix = todo.pop()
        with os.scandir(os.path.join(folder, prefix)) as entries:
            for entry in entries:
                if entry.is_dir():
                    todo.append(f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append(prefix + entry.name)
    return found


def digests_of(folder: str | Path, files: list[str], processes: int = 1, known=None) -> dict[str, str]:
    """SHA-256 of each of ``files`` (paths relative to ``folder``) -> hex digest; ``known``
    digests are taken as they are, the rest hashed by ``processes`` forked workers."""
    folder, known = Path(folder), known or {}
    todo = [relative for relative in files if relative not in known]
    hashed = fork_map(lambda i: _sha256(folder / todo[i]), len(todo), processes)
    found = dict(zip(todo, hashed, strict=True))
    return {relative: known.get(relative) or found[relative] for relative in files}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checksum_text(digests: dict[str, str]) -> str:
    """``SHA256SUMS``: ``<sha256>  <path>`` lines sorted by the path's UTF-8 bytes, the format
    ``sha256sum -c`` reads (a name with a backslash or newline is escaped, its line starts with one)."""
    lines = []
    for relative in sorted(digests, key=lambda r: r.encode("utf-8")):
        if "\\" in relative or "\n" in relative:
            escaped = relative.replace("\\", "\\\\").replace("\n", "\\n")
            lines.append(f"\\{digests[relative]}  {escaped}\n")
        else:
            lines.append(f"{digests[relative]}  {relative}\n")
    return "".join(lines)


def compress(
    output: str | Path,
    quality: int,
    processes: int = 1,
    previous: Previous | None = None,
    every: list[str] | None = None,
    spool: Spool | None = None,
) -> dict[str, str]:
    """Write ``.gz`` and ``.br`` beside every text file of at least MIN_SIBLING_BYTES (when smaller).

    Returns the SHA-256 of every text file and sibling (relative path -> hex digest), so
    ``SHA256SUMS`` need not read them all again.  A file the ``previous`` output has with the
    same bytes at the same path gets that output's siblings, linked.  ``every``: the output's
    files (:func:`files_under`), if the caller has them.  ``spool``: where to keep the deflate
    stream of every file compressed here, for the offline copy.
    """
    every = files_under(output) if every is None else every
    files = sorted(r for r in every if os.path.splitext(r)[1].lower() in TEXT_SUFFIXES)

    def one(index: int) -> tuple[dict[str, str], tuple[bytes, int, int] | None]:
        relative = files[index]
        path = os.path.join(output, relative)
        with open(path, "rb") as handle:
            data = handle.read()
        digest = hashlib.sha256(data).hexdigest()
        reused = previous.siblings(output, relative, digest) if previous is not None else None
        if reused is not None:
            return reused, None
        digests = {relative: digest}
        if len(data) < MIN_SIBLING_BYTES:
            return digests, deflated(data) if spool is not None else None
        siblings = compressed(data, quality)
        for suffix, sibling_data in zip(COMPRESSED, siblings, strict=True):
            if len(sibling_data) < len(data):
                with open(path + suffix, "wb") as handle:
                    handle.write(sibling_data)
                digests[relative + suffix] = hashlib.sha256(sibling_data).hexdigest()
        return digests, gzip_stream(siblings[0], len(data)) if spool is not None else None

    digests: dict[str, str] = {}
    for index, (found, stream) in enumerate(fork_imap(one, len(files), processes)):
        digests.update(found)
        if stream is not None:
            spool.add(files[index], *stream)
    return digests


class Spool:
    """The deflate streams :func:`compress` made, in one temporary file, for
    :func:`write_offline_copy`: its entries are these streams, which it would otherwise read
    back from tens of thousands of ``.gz`` siblings (on this virtual machine, whose kernel lets
    go of written files within a minute, at 30k articles the zip took 32–36 s, most of it
    reading).  Written as the workers send them, in the zip's order, then read in one pass
    (not mapped: the pages read would count as the build's memory)."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.at: dict[str, tuple[int, int, int, int]] = {}  # path -> offset, length, CRC-32, size

    def add(self, relative: str, stream: bytes, crc: int, size: int) -> None:
        self.at[relative] = self.file.tell(), len(stream), crc, size
        self.file.write(stream)

    def stream(self, relative: str) -> tuple[bytes, int, int] | None:
        """(deflate stream, CRC-32, size) of ``relative``, if this build compressed it."""
        found = self.at.get(relative)
        if found is None:
            return None
        self.file.flush()  # what add() buffered (nothing, once all is written)
        offset, length, crc, size = found
        return os.pread(self.file.fileno(), length, offset), crc, size

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.file.close()


def compressed(data: bytes, quality: int) -> tuple[bytes, bytes]:
    """The ``.gz`` and ``.br`` of ``data``."""
    return gzip_bytes(data), brotli.compress(data, quality=quality)


def deflated(data: bytes) -> tuple[bytes, int, int]:
    """(deflate stream at GZIP_LEVEL, CRC-32, size) of ``data``: a zip entry's parts."""
    return zlib.compress(data, level=GZIP_LEVEL, wbits=-15), zlib.crc32(data), len(data)


def gzip_stream(member: bytes, size: int) -> tuple[bytes, int, int]:
    """(deflate stream, CRC-32, size) of a gzip member of ``size`` bytes of data (RFC 1952: a
    10-byte header, the stream, then CRC-32 and size modulo 2**32)."""
    return member[10:-8], int.from_bytes(member[-8:-4], "little"), size


def compression_of(settings) -> str:
    """What decides the siblings' bytes besides the file (libraries, level, quality); "none"
    when the build writes no siblings."""
    if not settings.get("PRECOMPRESS", True):
        return "none"
    quality = int(settings.get("BROTLI_QUALITY", DEFAULT_BROTLI_QUALITY))
    salt = f"{brotli.__version__}\0{zlib.ZLIB_RUNTIME_VERSION}\0{GZIP_LEVEL}\0{quality}\0"
    return hashlib.sha256(salt.encode()).hexdigest()


class Previous:
    """The last good output, when its siblings were compressed as this build compresses them
    (:func:`previous_output`), with the digests of its ``SHA256SUMS`` and that file's time."""

    def __init__(self, folder: Path, digests: dict[str, str], written: int):
        self.folder, self.digests, self.written = folder, digests, written

    def siblings(self, output: str | Path, relative: str, digest: str) -> dict[str, str] | None:
        """Link the previous output's siblings of ``relative`` into ``output`` when the file
        there has the same bytes (its ``digest``) as in the previous output.  The digests of the
        file and its siblings; None: compress it.  A sibling changed after that build wrote
        ``SHA256SUMS`` (or gone) is not trusted."""
        if self.digests.get(relative) != digest:
            return None
        names = self.siblings_of(relative)
        if names is None:
            return None
        for name in names:
            link_or_copy(os.path.join(self.folder, name), os.path.join(output, name))
        return {name: self.digests[name] for name in (relative, *names)}

    def siblings_of(self, relative: str) -> list[str] | None:
        """The siblings that output has of ``relative``; None if one of them changed after
        that build wrote ``SHA256SUMS`` (or is gone): compress the file again."""
        names = [relative + suffix for suffix in COMPRESSED if relative + suffix in self.digests]
        return names if all(self.unchanged(name) for name in names) else None

    def holds(self, relative: str, data: bytes) -> bool:
        """Whether that output has ``relative`` with the bytes ``data``, and it and its siblings
        are as that build wrote them: this build may leave them there (site.write_or_keep)."""
        return (
            self.digests.get(relative) == hashlib.sha256(data).hexdigest()
            and self.unchanged(relative)
            and self.siblings_of(relative) is not None
        )

    def unchanged(self, relative: str) -> bool:
        """Whether that output's file is still there, not written since its ``SHA256SUMS``."""
        try:
            return os.stat(os.path.join(self.folder, relative)).st_mtime_ns <= self.written
        except OSError:
            return False


def record_compression(settings, sums: Path) -> None:
    """Note in the cache how this build compressed the output whose ``SHA256SUMS`` is ``sums``
    (and which output that is: the identity of that file), for the next build's
    :func:`previous_output`; it takes effect once this output is in place.  Call it last."""
    if settings.get("CACHE_PATH"):
        state = f"{compression_of(settings)} {file_identity(sums.stat())}"
        write_pending(Path(settings["CACHE_PATH"]) / SIBLINGS_STATE, state.encode())


def previous_output(settings, checksums: str = CHECKSUMS) -> Previous | None:
    """The previous output, if the cache says it was compressed as this build compresses (a
    cache shared by several outputs describes the last one built)."""
    cache, folder = settings.get("CACHE_PATH"), settings.get(PREVIOUS_OUTPUT)
    if not cache or not folder:
        return None
    sums = Path(folder) / checksums
    try:
        state = (Path(cache) / SIBLINGS_STATE).read_text(encoding="utf-8")
        stat = sums.stat()  # once: the identity checked is the one whose time is trusted
        if state != f"{compression_of(settings)} {file_identity(stat)}":
            return None
        digests = _listed(str(sums), file_identity(stat))
    except OSError:
        return None
    return Previous(Path(folder), digests, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1)
def _listed(sums: str, identity: tuple) -> dict[str, str]:
    """Relative path -> digest, as the ``SHA256SUMS`` at ``sums`` lists them; read once a build
    (the renderer and the compression both ask: 185,000 lines at 10k, a quarter of a second
    each time), again when the file's ``identity`` changed.  Shared: read it, never change it."""
    lines = Path(sums).read_text(encoding="utf-8").splitlines()
    return dict(reversed(line.split("  ", 1)) for line in lines if not line.startswith("\\"))


# -- 3. the offline copy -------------------------------------------------------------------------
def is_sibling(path: Path) -> bool:
    """A ``.gz``/``.br`` written by :func:`compress` beside its file."""
    return path.suffix in COMPRESSED and path.with_suffix("").is_file()


def offline_files(output: Path, exclude: set[str], every: set[str] | None = None) -> list[str]:
    """Every file but ``exclude`` and the siblings (see is_sibling), as paths relative to
    ``output`` sorted by their UTF-8 bytes; ``every``: the output's files, if the caller has them."""
    every = set(files_under(output)) if every is None else every
    found = [r for r in every if r not in exclude and not (r[-3:] in COMPRESSED and r[:-3] in every)]
    return sorted(found, key=_utf8)


def _utf8(relative: str) -> bytes:
    return relative.encode("utf-8")


def write_offline_copy(
    output: str | Path,
    name: str,
    when: dt.datetime | None,
    files: list[str],
    extra: dict[str, bytes] | None = None,
    gzipped: set[str] | frozenset[str] = frozenset(),
    earlier: EarlierCopy | None = None,
    kept: set[str] | frozenset[str] = frozenset(),
    kept_in: Path | None = None,
    spool: Spool | None = None,
    located: dict[str, tuple[int, int, int, int]] | None = None,
) -> Path:
    """``output/name``: ``files`` (:func:`offline_files` of the output, without the zip itself)
    under one folder named like the zip, sorted, with fixed dates and permissions; ``extra``:
    more entries (relative path -> bytes), in place of files of the output or besides them.

    For ``gzipped`` files, whose ``.gz`` sibling this build's :func:`compress` wrote, the entry
    comes from the sibling alone (see the module docstring), so the file itself is not read (most
    of the site's bytes; a rebuild spent most of its zip time reading).  An ``earlier`` copy gives
    the entries of the files it holds unchanged, read in one pass over one file instead of tens of
    thousands of siblings; the ``spool`` of this build's :func:`compress`, the streams it made.
    The other files are read and compressed here.  ``kept`` files (and their siblings) are in
    ``kept_in``, the last good output, not in ``output``.  ``located``: filled with where each
    entry is (:class:`EarlierCopy`'s form), for the next build."""
    output = Path(output)
    target = output / name
    folder = name.removesuffix(".zip")
    stamp = max(when or ZIP_EPOCH, ZIP_EPOCH).astimezone(dt.UTC).timetuple()[:6]
    extra = extra or {}
    entries = sorted([relative for relative in files if relative not in extra] + list(extra), key=_utf8)
    with zipfile.ZipFile(target, "w") as archive, earlier or contextlib.nullcontext():
        for relative in entries:
            info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=stamp)
            info.create_system = 3  # Unix, so the permissions below apply on every machine
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = GZIP_LEVEL
            known = earlier.stream(relative) if earlier is not None else None
            if known is None and spool is not None and relative not in extra:
                known = spool.stream(relative)
            path = (kept_in if relative in kept else output) / relative
            if known is None and relative in gzipped:
                known = _sibling_stream(path)
            if known is None:
                known = deflated(extra[relative] if relative in extra else path.read_bytes())
            _write_deflated(archive, info, *known)
            if located is not None:
                located[info.filename] = (info.header_offset, info.compress_size, info.CRC, info.file_size)
    return target


class EarlierCopy:
    """The offline copy of the last good output (:class:`Previous`), whose entries of files that
    are unchanged since (``unchanged``: relative paths) this build's copy takes as they are: the
    deflate stream, CRC-32 and size.  Used only if it was written before that output's
    ``SHA256SUMS`` (not changed since) and its entries are where its central directory (or
    ``entries``, the list the build that wrote it kept: name -> header offset, compressed size,
    CRC-32, size) says."""

    def __init__(self, path: Path, folder: str, unchanged: set[str], entries: dict | None = None):
        with open(path, "rb") as handle:
            if entries is None:
                entries = {
                    info.filename: (info.header_offset, info.compress_size, info.CRC, info.file_size)
                    for info in zipfile.ZipFile(handle).infolist()
                    if info.compress_type == zipfile.ZIP_DEFLATED
                }
            # mapped, not read: an entry is a slice, with no seek and read calls
            self.data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self.entries, self.folder, self.unchanged = entries, folder, unchanged

    def stream(self, relative: str) -> tuple[bytes, int, int] | None:
        entry = self.entries.get(f"{self.folder}/{relative}") if relative in self.unchanged else None
        if entry is None:
            return None
        at, compressed_size, crc, size = entry
        header = self.data[at : at + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return None
        at += 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
        stream = self.data[at : at + compressed_size]
        return (stream, crc, size) if len(stream) == compressed_size else None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.data.close()


def earlier_copy(
    previous: Previous | None, name: str, digests: dict[str, str], cache: str | None = None
) -> EarlierCopy | None:
    """The last good output's offline copy named ``name``, for the files of ``digests`` (relative
    path -> SHA-256 now) that output had with the same bytes; None if there is none to trust.
    ``cache``: the cache folder, where the build that wrote it may have listed its entries."""
    if previous is None:
        return None
    path = previous.folder / name
    try:
        stat = path.stat()
        if stat.st_mtime_ns > previous.written:
            return None
        unchanged = {
            relative for relative, digest in digests.items() if previous.digests.get(relative) == digest
        }
        return EarlierCopy(path, name.removesuffix(".zip"), unchanged, _zip_entries(cache, stat))
    except (OSError, zipfile.BadZipFile):
        return None


def _zip_entries(cache: str | None, stat: os.stat_result) -> dict | None:
    """The entries recorded for the zip whose identity ``stat`` gives; None: read its own list."""
    try:
        with open(os.path.join(cache, ZIP_ENTRIES), "rb") as handle:
            identity, entries = pickle.load(handle)
    except Exception:  # none, or unreadable: the zip's central directory says it
        return None
    return entries if identity == file_identity(stat) else None


def _write_deflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, stream: bytes, crc: int, size: int):
    """Add an entry whose deflate stream, CRC-32 and size are known.  zipfile has no public way to
    take a stream compressed elsewhere, so this writes what ``ZipFile.open(info, "w")`` and the
    entry's ``close()`` leave in the file (Python 3.11's zipfile: the local header, with the final
    sizes and CRC, then the stream) and records the entry for the central directory, without
    their seeking back to patch the header, which flushed the buffer twice an entry (with the
    mapped earlier copy: a 10k rebuild's zip 2.8 s -> 1.75 s).
    ``test_offline_zip_equals_one_compressed_from_scratch`` checks the bytes against
    ``ZipFile.writestr``."""
    zip64 = size * 1.05 > zipfile.ZIP64_LIMIT  # as ZipFile._open_to_write decides
    if not zip64 and len(stream) > zipfile.ZIP64_LIMIT:
        raise RuntimeError(f"{info.filename}: compressed size too large for a zip without zip64")
    info.flag_bits = 0
    info.file_size, info.compress_size, info.CRC = size, len(stream), crc
    info.header_offset = archive.start_dir  # where the last entry ended: the file's position
    archive._writecheck(info)
    archive._didModify = True
    header = info.FileHeader(zip64)
    archive.fp.write(header)
    archive.fp.write(stream)
    archive.start_dir += len(header) + len(stream)
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info


GZIP_HEADER = gzip_bytes(b"")[:10]  # the first bytes of every .gz that compress writes


def _sibling_stream(path: Path) -> tuple[bytes, int, int] | None:
    """(deflate stream, CRC-32, size) of ``path`` from the ``.gz`` written beside it; None if the
    sibling is not one of ours or disagrees with the file's size."""
    member = path.with_name(path.name + ".gz").read_bytes()
    size = path.stat().st_size
    if member[:10] != GZIP_HEADER or int.from_bytes(member[-4:], "little") != size & 0xFFFFFFFF:
        return None
    return gzip_stream(member, size)


def offline_copy_name(settings) -> str | None:
    name = settings.get("OFFLINE_COPY", DEFAULT_OFFLINE_COPY)
    if not name:
        return None
    if not (isinstance(name, str) and _ZIP_NAME.match(name)):
        path, line = setting_line(settings, "OFFLINE_COPY")
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    f"OFFLINE_COPY {name!r} is not a file name ending in .zip",
                    'write e.g. OFFLINE_COPY = "open-press-offline.zip" (letters, digits, . _ -), or ""',
                )
            ]
        )
    return name


# -- all of it -----------------------------------------------------------------------------------
def finish(
    output: str | Path, settings, checksums: str = CHECKSUMS
) -> tuple[set[str], dict[str, str], set[str]]:
    """Fingerprint, compress, zip (see the module docstring); ``SHA256SUMS`` is the caller's.

    Returns every file of the output (relative paths; the folders are walked once, here, and
    each step adds what it wrote: 0.5 s a walk at 10k articles) and the SHA-256 digests computed
    on the way, for ``write_checksums(files=…, known=…)``: while compressing, and for the
    offline copy's own ``SHA256SUMS``, which lists the files the copy holds, so
    ``sha256sum -c SHA256SUMS`` checks an unzipped copy as it checks the site.  The pages the
    renderer kept in the last good output, and the files plugins found there with the same bytes
    (:data:`~press_core.pagecache.KEPT_FILES`), count as files of this one, with their siblings
    and the digests that output's ``SHA256SUMS`` lists.
    Third: the files written here that the last good output has with the same bytes at the same
    path (a feed, a search shard), which moving this build into it can skip; not the pages the
    page cache records, whose very files it checks next time."""
    output = Path(output)
    zip_name = offline_copy_name(settings)  # a bad setting stops the build before any step
    fingerprint(output, manifest_of(settings))
    every = files_under(output)
    digests: dict[str, str] = {}
    # The last output is trusted (for siblings, and for the zip's entries below) only when its
    # record names the zlib that compressed it: compression_of() does so only for a build that
    # writes siblings, so without them every zip entry is deflated afresh.
    previous = previous_output(settings, checksums)
    precompress = settings.get("PRECOMPRESS", True)
    spool = Spool() if zip_name and precompress else None  # an unlinked file: nothing stays
    if precompress:
        quality = int(settings.get("BROTLI_QUALITY", DEFAULT_BROTLI_QUALITY))
        digests = compress(output, quality, processes_of(settings), previous, every, spool)
    written = set(every).union(digests)  # with the siblings compress wrote
    same = set()
    if previous is not None:
        recorded = settings.get(RECORDED_PAGES) or set()
        same = {r for r in written if r not in recorded and digests.get(r, "") == previous.digests.get(r)}
        same = {r for r in same if previous.unchanged(r)}
    kept = set()
    for relative in settings.get(KEPT_FILES) or ():  # files are kept only with a previous output
        names = (relative, *(relative + suffix for suffix in COMPRESSED))
        kept.update(name for name in names if name in previous.digests)
    digests.update((name, previous.digests[name]) for name in kept)
    files = written | kept
    if zip_name:
        in_copy = offline_files(output, {zip_name, checksums}, files)
        listed = digests_of(output, in_copy, processes_of(settings), digests)
        extra = {checksums: checksum_text(listed).encode("utf-8")}
        gzipped = {relative[:-3] for relative in digests if relative.endswith(".gz")}  # see compress
        when = build_date(settings["PATH"])
        cache = settings.get("CACHE_PATH")
        earlier = earlier_copy(previous if precompress else None, zip_name, listed, cache)
        kept_in = previous.folder if kept else None
        located = {}
        with spool or contextlib.nullcontext():
            copy = write_offline_copy(
                output, zip_name, when, in_copy, extra, gzipped, earlier, kept, kept_in, spool, located
            )
        if cache:  # for the next build's earlier_copy, once this output is in place
            record = (file_identity(copy.stat()), located)
            write_pending(Path(cache) / ZIP_ENTRIES, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        digests.update(listed)
        files.add(zip_name)
    return files, digests, same
