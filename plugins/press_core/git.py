"""Git history of the content, read once per build.

:func:`read_history` runs a handful of git processes for the whole build, never
one per file: ``rev-parse`` (where the repository's top is, whether the clone is
shallow), ``log -1`` (the commit being built), one ``log --name-status`` over the
content folder (every commit that touched a content file, renames followed) and
one ``status`` (files changed or added since that commit).  The result maps each
file, by its path relative to the repository's top, to its commits.

Everything degrades: when git is missing, the folder is not a checkout or git
fails, :class:`History` says ``available = False`` with the reason, and every
file's :class:`FileHistory` has the status ``"unavailable"``; the build goes on.

Output must not depend on when or where it is built (see ``SHA256SUMS``): dates
are commit dates converted to the site's time zone, and short ids have a fixed
length (``git log %h`` grows with the size of the clone, so two clones of the
same commit could disagree).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .privacy import redact_emails

SHORT_ID = 10  # characters of a commit id shown on pages; fixed for reproducible output
_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = "%x1e%H%x1f%cI%x1f%s"
# User configuration that would change what ``git log`` prints.
_CONFIG = ("-c", "log.showSignature=false", "-c", "log.follow=false", "-c", "i18n.logOutputEncoding=UTF-8")
# Variables that would point git at another repository than the content's own
# (set, e.g., when the build runs inside a git hook).
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Commit:
    id: str  # the full object id
    date: dt.datetime  # the commit (not author) date: when the change landed in the repository
    subject: str  # first line of the message

    @property
    def short(self) -> str:
        return self.id[:SHORT_ID]


@dataclass
class FileHistory:
    """The history of one file.

    ``status`` is ``"committed"`` (``commits`` newest first, ``changed`` when the
    working copy differs from the last commit), ``"uncommitted"`` (the file is in
    no commit yet) or ``"unavailable"`` (no git history could be read).
    """

    status: str
    commits: list[Commit] = field(default_factory=list)
    changed: bool = False
    shallow: bool = False  # read from a shallow clone: the oldest commits may be missing

    @property
    def first(self) -> Commit | None:
        return self.commits[-1] if self.commits else None

    @property
    def last(self) -> Commit | None:
        return self.commits[0] if self.commits else None


@dataclass
class History:
    """Git history of a folder's files, keyed by path relative to the repository top."""

    available: bool
    reason: str = ""  # why not available, for logs
    top: Path | None = None
    head: Commit | None = None  # the commit being built (None: no commit yet)
    shallow: bool = False  # a shallow clone: first-published dates may be too late
    dirty: bool = False  # anything in the checkout differs from ``head``
    files: dict[str, list[Commit]] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)

    def relative(self, path: str | Path) -> str | None:
        """``path`` (absolute, or relative to the working directory) relative to the top."""
        if self.top is None:
            return None
        try:
            return Path(os.path.realpath(path)).relative_to(self.top).as_posix()
        except ValueError:
            return None

    def of(self, path: str | Path) -> FileHistory:
        """The history of the file at ``path`` (absolute or relative to the working directory)."""
        if not self.available:
            return FileHistory("unavailable")
        key = self.relative(path)
        commits = self.files.get(key, []) if key else []
        if not commits:
            return FileHistory("uncommitted")
        return FileHistory("committed", commits, key in self.changed, self.shallow)


class GitError(RuntimeError):
    pass


def _git(git: str, cwd: Path, *args: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in _GIT_ENV}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # reading must not rewrite the index
    try:
        result = subprocess.run(
            [git, "--no-pager", "--literal-pathspecs", *_CONFIG, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            check=False,
        )
    except OSError as exc:  # git is not installed (or not executable)
        raise GitError(f"cannot run {git!r}: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout.decode("utf-8", "replace")


def _commit(header: str, timezone: dt.tzinfo | None) -> Commit:
    full, date, subject = header.lstrip("\n" + _RECORD).split(_FIELD, 2)
    when = dt.datetime.fromisoformat(date)
    subject = redact_emails(subject.strip())  # a subject may name someone's address (privacy.py)
    return Commit(full, when.astimezone(timezone) if timezone else when, subject)


def parse_log(text: str, timezone: dt.tzinfo | None = None) -> dict[str, list[Commit]]:
    """Parse ``git log -z --name-status -M --format=<_FORMAT>`` (newest first).

    A renamed file keeps the commits from before its rename: walking from the
    newest commit back, the old path's commits are filed under the new name.
    """
    files: dict[str, list[Commit]] = {}
    renamed: dict[str, str] = {}  # old path -> the path it has now
    for record in text.split(_RECORD)[1:]:
        tokens = record.split("\0")
        commit = _commit(tokens[0], timezone)
        index = 1
        while index < len(tokens):
            status = tokens[index].strip()
            index += 1
            if not status:
                continue
            if status[0] in "RC":  # rename/copy: old path, new path
                old, new = tokens[index], tokens[index + 1]
                index += 2
                current = renamed.get(new, new)
                files.setdefault(current, []).append(commit)
                if status[0] == "R":
                    renamed[old] = current
            else:
                path = tokens[index]
                index += 1
                files.setdefault(renamed.get(path, path), []).append(commit)
    return files


def parse_status(text: str) -> set[str]:
    """Paths in ``git status --porcelain=v1 -z`` output (the new name of a rename)."""
    paths = set()
    tokens = text.split("\0")
    index = 0
    while index < len(tokens):
        entry = tokens[index]
        index += 1
        if len(entry) < 4:
            continue
        paths.add(entry[3:])
        if entry[0] in "RC":  # followed by the original path
            index += 1
    return paths


def read_history(folder: str | Path, timezone: dt.tzinfo | None = None, git: str = "git") -> History:
    """Read the git history of every file under ``folder``, with one ``git log``."""
    folder = Path(folder)
    if not folder.is_dir():
        return History(False, f"{folder} is not a folder")
    try:
        found = _git(git, folder, "rev-parse", "--show-toplevel", "--is-shallow-repository")
        top_text, shallow = found.split("\n")[:2]
        top = Path(os.path.realpath(top_text))
        try:
            head_text = _git(git, top, "log", "-1", "-z", f"--format={_FORMAT}", "HEAD")
        except GitError:  # a repository without any commit yet
            head = None
        else:
            head = _commit(head_text.rstrip("\0"), timezone)
        spec = Path(os.path.realpath(folder)).relative_to(top).as_posix()
        spec = "." if spec in ("", ".") else spec
        files = {}
        if head is not None:
            options = ("-z", "--name-status", "-M", "--no-color", f"--format={_FORMAT}")
            log_text = _git(git, top, "log", *options, "HEAD", "--", spec)
            files = parse_log(log_text, timezone)
        status = parse_status(_git(git, top, "status", "--porcelain=v1", "-z", "--untracked-files=all"))
    except GitError as exc:
        reason = str(exc)
        if "not a git repository" not in reason and "cannot run" not in reason:
            log.warning("press: content history not available: %s", reason)
        return History(False, reason)
    return History(
        True,
        top=top,
        head=head,
        shallow=shallow.strip() == "true",
        dirty=bool(status),
        files=files,
        changed={path for path in status if path in files},
    )


def source_date(history: History | None = None) -> dt.datetime | None:
    """The build's reference time, never "now": SOURCE_DATE_EPOCH, else the built commit's date.

    For anything that needs a build date (a feed's ``updated``, a gzip header):
    two builds of one commit then agree byte for byte.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    if history is not None and history.head is not None:
        return history.head.date
    return None


def head_commit(folder: str | Path, git: str = "git") -> Commit | None:
    """The commit checked out where ``folder`` is (one ``git log -1``), or None outside a
    checkout, without git or before the first commit.  For steps that need only the built
    commit (the offline copy's dates, ``invoke publish``), not every file's history."""
    try:
        text = _git(git, Path(folder), "log", "-1", "-z", f"--format={_FORMAT}", "HEAD")
    except GitError:
        return None
    return _commit(text.rstrip("\0"), None) if text.strip("\0") else None


def build_date(folder: str | Path) -> dt.datetime | None:
    """:func:`source_date` for ``folder``'s checkout: SOURCE_DATE_EPOCH, else its HEAD commit's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    head = head_commit(folder) if Path(folder).is_dir() else None
    return head.date if head is not None else None
