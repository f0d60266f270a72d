"""Path safety: nothing a contributor names can write or link outside ``output/``.

Keys, slugs, file names and the paths in Markdown links all end up as parts of
output paths and URLs.  This module decides, in one place, which names are safe
(:func:`unsafe_name`, :func:`unsafe_relative_path`), where a Markdown reference
points inside ``content/`` (:func:`resolve_reference`), which entries of the
content tree may be read at all (:func:`check_tree`: no links to files outside
``content/``), and joins output paths so they cannot leave the output folder
(:func:`inside`).

Written by hand because no library covers it: ``pathlib`` and ``os.path`` join
and normalise but never refuse, and names that are harmless on Linux (``con``,
``aux.png``, ``a:b``, a trailing dot) break the site when a mirror or a USB
stick copy lands on Windows or FAT.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .problems import Problems

# Device names Windows reserves in every folder, with any extension (con.txt, aux.png, com1.pdf).
WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul", "conin$", "conout$",
    *(f"com{n}" for n in "123456789¹²³"), *(f"lpt{n}" for n in "123456789¹²³"),
}  # fmt: skip
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')
MAX_NAME_BYTES = 255
KEY = re.compile(
    r"^(?!(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$)"  # Windows device names cannot be folders
    r"[a-z0-9]+(?:-[a-z0-9]+)*$"
)
"""A content key (file names, category and person keys): lowercase a-z, 0-9 and single hyphens."""


class UnsafePathError(ValueError):
    """A path that would leave its folder or break on another file system."""


@lru_cache(maxsize=4096)  # the same folder and file names recur in thousands of page paths
def unsafe_name(name: str) -> str | None:
    """Why ``name`` cannot be one file or folder name of the site, or None when it can."""
    if not name:
        return "is empty"
    if name in (".", ".."):
        return f"is {name!r}, which names a folder above"
    if "\x00" in name:
        return "contains a NUL character"
    found = _FORBIDDEN.search(name)
    if found:
        character = found.group()
        shown = repr(character) if character.isprintable() else f"U+{ord(character):04X}"
        return f"contains {shown}, which is not allowed in file names"
    if name.split(".", 1)[0].casefold() in WINDOWS_RESERVED:
        return f"'{name}' is a reserved device name on Windows"
    if name[-1] in ". ":
        return "ends with a dot or a space, which Windows drops"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    return None


def unsafe_relative_path(path: str) -> str | None:
    """Why ``path`` (POSIX, relative) cannot be a path inside output/, or None when it can."""
    if not path:
        return "is empty"
    if "\x00" in path:
        return "contains a NUL character"
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        return "is an absolute path"
    for part in path.split("/"):
        reason = unsafe_name(part)
        if reason:
            return f"has a part that {reason}" if part else "has an empty part (//)"
    return None


@lru_cache(maxsize=64)
def _real_base(base: str) -> str:
    """The output folder, resolved once: a build writes tens of thousands of files into it."""
    return os.path.realpath(base)


def inside(base: str | Path, relative: str) -> Path:
    """``base/relative``, refusing a path that is unsafe or resolves outside ``base``."""
    reason = unsafe_relative_path(relative)
    if reason:
        raise UnsafePathError(f"output path {relative!r} {reason}")
    root = Path(_real_base(os.fspath(base)))
    target = Path(os.path.realpath(root / relative))
    if not target.is_relative_to(root):
        raise UnsafePathError(f"output path {relative!r} leaves {root}")
    return target


def relative_url(from_page: str, to_path: str) -> str:
    """The relative URL from the page at output path ``from_page`` to the file ``to_path``."""
    start = PurePosixPath(from_page).parent
    url = os.path.relpath(to_path, start.as_posix() or ".")
    return quote(url.replace(os.sep, "/"), safe="/")


def is_relative_reference(url: str) -> bool:
    """True for a URL naming a file of this site (no scheme, no host, not only a #fragment)."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith("#") or not parts.path)


def resolve_reference(content: Path, source: Path, url: str) -> tuple[Path | None, str]:
    """The file under ``content`` that a relative ``url`` in ``source`` names.

    Returns ``(path, "")``, or ``(None, reason)`` when the reference is not a safe
    link to an existing file inside ``content/`` (written relative to the source
    file, as Git hosts preview it).
    """
    path = unquote(urlsplit(url).path)
    if "\x00" in path:
        return None, "contains a NUL character"
    if "\\" in path:
        return None, "contains a backslash"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return None, "is an absolute path"
    root = Path(os.path.realpath(content))
    target = Path(os.path.realpath(source.parent / path))
    if not target.is_relative_to(root):
        return None, "points outside content/"
    if not target.is_file():
        return None, "is not a file in content/"
    reason = unsafe_relative_path(target.relative_to(root).as_posix())
    if reason:
        return None, reason
    return target, ""


def check_tree(content: Path, problems: Problems) -> None:
    """Refuse links that leave ``content/`` and names that would break another file system.

    A symbolic link inside ``content/`` may point to another file inside it; one
    that points outside (``/etc/passwd``, a CI secret) would let a pull request
    publish a file of the machine that builds the site.
    """
    root = Path(os.path.realpath(content))
    if not root.is_dir():
        return
    todo = [str(root)]
    while todo:  # top-down, like os.walk; never follows links to folders
        folder = todo.pop(0)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # unreadable: skipped, as os.walk skips it (the readers report the files)
            continue
        for entry in sorted(entries, key=lambda entry: entry.name):
            name = entry.name
            if name.startswith("."):  # .gitkeep, editors' files: never published
                continue
            reason = unsafe_name(name)
            if reason:
                problems.add(
                    Path(entry.path),
                    1,
                    f"the name {name!r} {reason}",
                    "rename it using letters, digits, - and _",
                )
            # The file type comes with the folder's listing: no call per file (30,000 texts).
            if entry.is_symlink() and not Path(os.path.realpath(entry.path)).is_relative_to(root):
                problems.add(
                    Path(entry.path),
                    1,
                    f"is a link to {os.readlink(entry.path)}, outside content/",
                    "copy the file into content/ instead of linking to it",
                )
        todo += [
            entry.path
            for entry in entries
            if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
        ]
