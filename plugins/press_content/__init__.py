"""Reads ``content/`` once and validates it into the content graph.

Adds to the build: ``context["press_content"]``, a :class:`~press_core.model.ContentGraph`
of articles and standing pages with their translations, categories and people.
Produces no pages itself.  Every mistake becomes a ``path:line: … — fix``
problem; all of them are reported together and the build stops before writing.
"""

from __future__ import annotations

from pelican import signals

from press_core.reading import read_content

CONTEXT_KEY = "press_content"


class ContentGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.path = context, settings, path

    def generate_context(self):
        self.context[CONTEXT_KEY] = read_content(self.settings)


def get_generators(pelican):
    return ContentGenerator


def register():
    signals.get_generators.connect(get_generators)
