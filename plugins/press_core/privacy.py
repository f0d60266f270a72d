"""Author protection: e-mail addresses are never published unless marked public.

* :func:`check_emails` scans every text file under ``content/`` (Markdown, YAML,
  CSV, …; the Markdown files as the content reader reads them, through
  :func:`report_emails`) and reports each e-mail address — also one written with HTML
  entities or as a ``mailto:`` link — as ``path:line: … — fix``, unless it is
  listed in the ``PUBLIC_EMAILS`` setting (addresses the party publishes on
  purpose, such as a press office).  Authors are named by a key in
  ``content/people.yml`` whose name may be a pseudonym.
* :func:`redact_emails` removes addresses from git metadata before it reaches a
  page: the provenance plugin shows commit subjects, and a subject such as
  "fix typo (thanks x@example.org)" must not publish the address.  Author names
  and addresses of commits are never read.

Written by hand because the job is a scan, not a parse: a deliberately simple
pattern that errs towards reporting too much (a reviewer can list a false
positive in ``PUBLIC_EMAILS``).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import unquote

from .problems import Problems

EMAIL = re.compile(r"[\w.!#$%&'*+=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}", re.UNICODE)
TEXT_SUFFIXES = {".md", ".markdown", ".yml", ".yaml", ".csv", ".txt", ".json", ".html", ".htm"}
REDACTED = "[e-mail address removed]"
# An "@" after unquote() and html.unescape() comes from one of these (an entity starts with "&").
_AT_MARKS = ("@", "&", "%40", "%26")


def emails_in(text: str) -> list[str]:
    """Every e-mail address in ``text``, also behind HTML entities or %-escapes."""
    return list(dict.fromkeys(EMAIL.findall(html.unescape(unquote(text)))))


def redact_emails(text: str) -> str:
    return EMAIL.sub(REDACTED, text)


def allowed_emails(public: list[str] | tuple[str, ...] | None) -> set[str]:
    return {address.casefold() for address in public or ()}


def report_emails(path: Path, text: str, allowed: set[str], problems: Problems) -> None:
    """Report each address in ``text`` (the file ``path``) that is not in ``allowed``."""
    if not any(mark in text for mark in _AT_MARKS):
        return  # no "@", not even escaped: nothing to scan line by line (fast path)
    for number, line in enumerate(text.splitlines(), start=1):
        for address in emails_in(line):
            if address.casefold() not in allowed:
                problems.add(
                    path,
                    number,
                    f"e-mail address {address} in a content file",
                    "remove it (authors are named by a key in people.yml; a pseudonym is fine), "
                    "or add it to PUBLIC_EMAILS in pelicanconf.py if it is meant to be public",
                )


def check_emails(
    content: str | Path,
    public: list[str] | tuple[str, ...],
    problems: Problems,
    scanned: set[str] = frozenset(),
) -> None:
    """Scan every text file under ``content`` (hidden ones aside) but ``scanned``: the paths,
    as strings, of files whose reader calls :func:`report_emails` on the text it reads anyway,
    so no file is read twice.  ``os.walk`` and strings: at tens of thousands of files, pathlib
    objects cost more than the scan (the problems are sorted when reported)."""
    allowed = allowed_emails(public)
    for folder, names, files in os.walk(content):
        names[:] = [name for name in names if not name.startswith(".")]
        for name in files:
            path = os.path.join(folder, name)
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in TEXT_SUFFIXES:
                continue
            if path in scanned or not os.path.isfile(path):
                continue
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except (UnicodeDecodeError, OSError):
                continue  # the file's own reader reports it
            report_emails(Path(path), text, allowed, problems)
