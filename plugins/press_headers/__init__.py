"""Security headers for the web server: the pages' Content-Security-Policy as HTTP headers.

Adds to the build, at the output root: ``_headers`` (Netlify, Cloudflare Pages),
``.htaccess`` (Apache) and ``server/nginx.conf`` (an nginx ``include``), each sending
the policy of :mod:`press_core.headers` (the one every page also carries in a
``<meta http-equiv>``) plus ``frame-ancestors``, ``nosniff`` and ``no-referrer``; with
``ONION_ADDRESS`` set, Apache and nginx also send ``Onion-Location``.  docs/SAFETY.md
says how to use them.
"""

from __future__ import annotations

from pelican import signals

from press_core.headers import server_files
from press_core.site import write_file


class HeadersGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.settings, self.output_path = settings, output_path

    def generate_context(self):
        pass

    def generate_output(self, writer):
        for relative, text in server_files(self.settings.get("ONION_ADDRESS") or "").items():
            write_file(self.output_path, relative, text)


def get_generators(pelican):
    return HeadersGenerator


def register():
    signals.get_generators.connect(get_generators)
