"""Content problems reported as ``path:line: what is wrong — how to fix``.

Every validator in the press collects :class:`Problem` objects instead of raising
on the first one, so an editor sees every mistake of a pull request in one run.
The build and ``invoke check`` turn a non-empty list into :class:`ContentError`,
which the command-line entry point prints without a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} — {self.fix}"


class ContentError(Exception):
    """Raised when content has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Collects problems, naming files relative to a base directory."""

    def __init__(self, base: str | Path):
        self.base = Path(base)
        self.items: list[Problem] = []
        self.warnings: list[Problem] = []  # reported by `invoke check`, never stop the build
        self._folders: dict[str, str] = {}

    def display_path(self, path: str | Path) -> str:
        """``path`` relative to the base, with ``/``: its folder resolved, not the file, so a
        symbolic link is named as itself; a path outside the base as it was given.  Strings,
        not pathlib: every content file asks for its own (pathlib cost a 10k build a second)."""
        folder, name = os.path.split(os.fspath(path))
        base = os.path.join(self.resolved_folder(os.fspath(self.base)), "")  # ends with a separator
        inside = os.path.join(self.resolved_folder(folder), name)
        if inside.startswith(base):
            return inside[len(base) :].replace(os.sep, "/")
        return Path(path).as_posix()

    def resolved_folder(self, folder: str) -> str:
        """``os.path.realpath(folder)``, once per folder."""
        found = self._folders.get(folder)
        if found is None:
            found = self._folders[folder] = os.path.realpath(folder)
        return found

    def add(self, path: str | Path, line: int | None, what: str, fix: str) -> None:
        self.items.append(Problem(self.display_path(path), line or 1, what, fix))

    def warn(self, path: str | Path, line: int | None, what: str, fix: str) -> None:
        """Something an editor should clean up that does not stop the build (e.g. PDF metadata)."""
        self.warnings.append(Problem(self.display_path(path), line or 1, what, fix))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


def setting_line(settings, name: str) -> tuple[str, int]:
    """The settings file (as given to the build) and the line where ``name`` is assigned.

    Lets a bad setting be reported as ``publishconf.py:12: … — fix`` like content problems.
    """
    given = settings.get("PRESS_SETTINGS_FILE")
    candidates = [Path(given)] if given else []
    candidates += [path.with_name("pelicanconf.py") for path in candidates]
    for path in candidates:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if re.match(rf"\s*{name}\s*=", line):
                return path.name, number
    return (candidates[0].name if candidates else "pelicanconf.py"), 1
