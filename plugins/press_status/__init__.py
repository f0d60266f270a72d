"""Translation status: how much of the UI and the content each language has.

Adds to the build, for each language, ``<lang>/translation-status/index.html``
(the share of UI strings translated per locale, from the gettext catalogs, and
the content items each language still lacks), and ``translation-status.json``
at the output root for translators' tooling.
"""

from __future__ import annotations

import json

from pelican import signals

from press_content import CONTEXT_KEY
from press_core.i18n import catalogs_of
from press_core.site import Page, site_of, write_file


def status_report(context) -> list[dict]:
    graph = context[CONTEXT_KEY]
    site = site_of(context)
    catalogs = catalogs_of(context)
    report = []
    for language in site.languages:
        stats = catalogs[language.code][1]
        missing = [item for item in graph.items if language.code not in item.versions]
        report.append(
            {
                "language": language,
                "ui_percent": stats.percent if stats else 100,
                "ui_translated": stats.translated if stats else None,
                "ui_total": stats.total if stats else None,
                "is_source": stats is None,
                "missing": missing,
                "content_total": len(graph.items),
            }
        )
    return report


class StatusGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.output_path = context, output_path

    def generate_context(self):
        site = site_of(self.context)
        self.report = status_report(self.context)
        for language in site.languages:
            code = language.code
            home = site.get("home", code)
            site.add(
                Page(
                    code,
                    "translation-status",
                    f"{code}/translation-status/index.html",
                    "status.html",
                    {**home.context, "report": self.report},
                )
            )

    def generate_output(self, writer):
        data = [
            {
                "code": row["language"].code,
                "ui_percent": row["ui_percent"],
                "ui_translated": row["ui_translated"],
                "ui_total": row["ui_total"],
                "source_language": row["is_source"],
                "content_total": row["content_total"],
                "content_missing": [item.id for item in row["missing"]],
            }
            for row in self.report
        ]
        write_file(
            self.output_path, "translation-status.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        )


def get_generators(pelican):
    return StatusGenerator


def register():
    signals.get_generators.connect(get_generators)
