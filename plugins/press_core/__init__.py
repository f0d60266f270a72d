"""Shared helpers for the press plugins.

This package is not a Pelican plugin itself: it holds what several plugins need
(problem reporting, YAML with line numbers, the language table, Markdown, gettext,
the page registry and relative URLs) so each plugin stays small and single-purpose.
"""
