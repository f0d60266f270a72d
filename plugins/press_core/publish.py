"""``invoke publish``: put a built ``output/`` where readers get it, three ways.

* **a folder** (``--target /srv/www/press``): the folder becomes an exact copy of
  ``output/`` — new and changed files copied, files no longer built removed.  A
  non-empty folder that holds no ``SHA256SUMS`` (so no earlier publish) is refused,
  so a mistyped target never loses anybody's files;
* **rsync over ssh** (``--target user@host:/srv/www/press``): ``rsync`` with checksums
  (a first build writes every file, and a rebuild writes unchanged feeds and search files
  again, so dates say little), ``--delete``, new files put in
  place at the end (``--delay-updates``), world-readable permissions;
* **a branch of a git remote** (``--target git@github.com:party/press.git --branch
  gh-pages``, or a remote's name such as ``origin``): one commit whose tree is exactly
  ``output/`` (plus an empty ``.nojekyll`` unless ``nojekyll=False``, so GitHub Pages
  serves the files as they are), on top of the branch's last commit, pushed as a fast
  forward.  Written with git plumbing (a temporary index; ``write-tree``,
  ``commit-tree``, ``push``) in the source checkout, so a remote's stored credentials
  (e.g. ``actions/checkout``'s) apply and the working tree and index are never
  touched.  The commit is reproducible: its dates are the source commit's (or
  ``SOURCE_DATE_EPOCH``), its author a fixed name and its message names the source
  commit; publishing an unchanged site adds no commit.  ``ghp-import`` does the same
  job but dates commits with the clock, which is why this is written here.

The site's links are relative, so the same ``output/`` works at a domain's root or
under any subpath of any of these targets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .git import build_date, head_commit

RSYNC_OPTIONS = ["--recursive", "--links", "--checksum", "--compress", "--delete", "--delay-updates",
                 "--chmod=D755,F644", "--exclude=.git"]  # fmt: skip
PUBLISHER = ("The Open Press build", "build@press.invalid")  # the branch commits' author and committer
_REMOTE_PATH = re.compile(r"^(?:[^/:@\s]+@)?[^/:\s]+:")  # [user@]host:path (scp syntax, as rsync reads it)


class PublishError(RuntimeError):
    pass


def check_whole(output: str | Path) -> None:
    """Refuse an ``output`` that a stopped build left half-moved in (build again to finish it)."""
    from .build import moving_journal

    if moving_journal(Path(output).resolve()).exists():
        raise PublishError(
            f"{output} is not whole: a build stopped while moving its files in — build again, then publish"
        )


def kind_of(target: str, branch: str | None) -> str:
    """``"git"`` with a branch, else ``"rsync"`` for ``[user@]host:path``, else ``"folder"``."""
    if branch:
        return "git"
    if _REMOTE_PATH.match(target) and not Path(target).exists():
        return "rsync"
    return "folder"


# -- a folder ------------------------------------------------------------------------------------
def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def to_folder(output: str | Path, target: str | Path) -> list[str]:
    """Make ``target`` an exact copy of ``output``; returns the paths copied or removed."""
    output, target = Path(output).resolve(), Path(target).resolve()
    if target == output or output in target.parents:
        raise PublishError(f"{target} is inside the build folder {output}: choose another folder")
    if target.exists() and any(target.iterdir()) and not (target / "SHA256SUMS").is_file():
        raise PublishError(
            f"{target} is not empty and holds no SHA256SUMS, so it is no earlier copy of the site — "
            "empty it or choose another folder"
        )
    target.mkdir(parents=True, exist_ok=True)
    wanted, present = _files(output), _files(target)
    changed = []
    for relative in sorted(wanted):
        source, copy = output / relative, target / relative
        if copy.is_file() and copy.read_bytes() == source.read_bytes():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        if copy.is_dir():  # a folder where the site now has a file
            shutil.rmtree(copy)
        shutil.copyfile(source, copy)
        changed.append(relative)
    for relative in sorted(present - wanted):
        (target / relative).unlink()
        changed.append(relative)
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed


# -- rsync ---------------------------------------------------------------------------------------
def rsync_command(output: str | Path, target: str, rsync: str = "rsync") -> list[str]:
    """The command that mirrors ``output`` to ``target`` (``host:path`` over ssh, or a folder)."""
    return [rsync, *RSYNC_OPTIONS, f"{Path(output).as_posix().rstrip('/')}/", f"{target.rstrip('/')}/"]


def to_rsync(output: str | Path, target: str) -> None:
    rsync = shutil.which("rsync")
    if rsync is None:
        raise PublishError("rsync is not installed — install it (Debian: apt-get install rsync)")
    result = subprocess.run(rsync_command(output, target, rsync), capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"rsync to {target} failed: {result.stderr.strip()}")


# -- a git branch --------------------------------------------------------------------------------
# Variables that would point git at another repository or identity than the ones set here.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
            "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE")  # fmt: skip


def _git(cwd: Path, *args: str, env: dict | None = None, input: bytes | None = None) -> str:
    if env is None:
        env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, input=input, capture_output=True)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise PublishError(f"git {args[0]} failed: {message}")
    return result.stdout.decode("utf-8", "replace").strip()


def to_branch(
    output: str | Path,
    remote: str,
    branch: str,
    repo: str | Path,
    nojekyll: bool = True,
) -> str | None:
    """Commit ``output`` onto ``branch`` of ``remote`` and push it; returns the new commit id,
    or None when the branch already holds exactly this site."""
    output, repo = Path(output).resolve(), Path(repo).resolve()
    head = head_commit(repo)
    if head is None:
        raise PublishError(f"{repo} is not a git checkout with a commit: the branch commit names its source")
    when = build_date(repo)
    base = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    git_dir = _git(repo, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory(prefix="press-publish-") as scratch:
        # Stage output/ into a scratch index: the checkout's own index and files stay untouched.
        env = {**base, "GIT_DIR": git_dir, "GIT_WORK_TREE": str(output), "GIT_INDEX_FILE": f"{scratch}/index"}
        _git(output, "-c", "core.autocrlf=false", "add", "--all", "--force", "--", ".", env=env)
        if nojekyll:
            empty = _git(output, "hash-object", "-w", "--stdin", env=env, input=b"")
            _git(output, "update-index", "--add", "--cacheinfo", f"100644,{empty},.nojekyll", env=env)
        tree = _git(output, "write-tree", env=env)
    heads = _git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    parent = None
    if heads:
        _git(repo, "fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}")
        parent = _git(repo, "rev-parse", "FETCH_HEAD^{commit}")
        if _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
            return None  # nothing changed since the last publish
    stamp = f"{int(when.timestamp())} +0000"
    name, email = PUBLISHER
    identity = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    message = f"Publish the site built from {head.id}\n"
    parents = ["-p", parent] if parent else []
    commit = _git(
        repo, "commit-tree", "--no-gpg-sign", tree, *parents, env={**base, **identity}, input=message.encode()
    )
    _git(repo, "push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
    return commit
