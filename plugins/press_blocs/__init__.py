"""Blocs (the party's tendencies), their position papers, the official line and outside voices.

Adds to the content read (``graph.sections["blocs"]``, :class:`press_blocs.model.Blocs`)
the blocs, questions and official bodies, and adds papers (kind ``paper``) and
outside voices (kind ``outside``) to ``graph.items``; see :mod:`press_blocs.reading`.
"""

from __future__ import annotations

from pelican import signals

from press_core.reading import register_section

from .reading import read_blocs

SECTION = "blocs"


def get_generators(pelican):
    from .pages import BlocsGenerator

    return BlocsGenerator


def register():
    register_section(__name__, SECTION, read_blocs)
    signals.get_generators.connect(get_generators)
