"""Provenance: where every text comes from, and how anyone can check a copy of the site.

Adds to the build:

* ``version.history`` on every article and page :class:`~press_core.model.Version`: the
  file's git history (:class:`press_core.git.FileHistory` — first published, last changed,
  every commit's date, short id and subject), read with one ``git log`` for the whole
  content folder (:func:`press_core.git.read_history`).  ``article.html`` and
  ``page.html`` show it; commit ids link to ``REPOSITORY_URL/commit/<id>`` when that
  setting is set.  Without git or outside a checkout the build still works and pages
  say that no history is available; files not committed yet say so.
* ``context["press_provenance"]``: the :class:`press_core.git.History` (also the commit
  being built, for other plugins; :func:`press_core.git.source_date` gives a build date
  that is never "now").
* ``<lang>/verify/index.html`` (page id ``verify``, linked from every footer): which
  commit this copy was built from and the commands that rebuild it and compare it
  with ``SHA256SUMS`` (written by :mod:`press_core.build` after every build).

The verify page borrows the home page's chrome (navigation), so it is registered
once every generator has run (``all_generators_finalized``), before rendering.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from press_content import CONTEXT_KEY as CONTENT_KEY
from press_core.git import History, read_history
from press_core.site import Page, site_of

CONTEXT_KEY = "press_provenance"


def attach_history(graph, history: History, content: Path) -> None:
    """Give every version its file's history (``Version.source`` is relative to content/..)."""
    base = Path(os.path.realpath(content)).parent
    for item in graph.items:
        for version in item.versions.values():
            version.history = history.of(base / version.source)


class ProvenanceGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings = context, settings

    def generate_context(self):
        content = Path(self.settings["PATH"])
        timezone = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        history = read_history(content, timezone)
        self.context[CONTEXT_KEY] = history
        attach_history(self.context[CONTENT_KEY], history, content)


def add_verify_pages(generators) -> None:
    context = generators[0].context
    if CONTEXT_KEY not in context:
        return
    site = site_of(context)
    history: History = context[CONTEXT_KEY]
    for language in site.languages:
        home = site.get("home", language.code)
        chrome = home.context if home is not None else {}
        site.add(
            Page(
                language.code,
                "verify",
                f"{language.code}/verify/index.html",
                "verify.html",
                {**chrome, "history": history},
            )
        )


def get_generators(pelican):
    return ProvenanceGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(add_verify_pages)
