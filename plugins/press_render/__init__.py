"""Renders every registered page, one Jinja environment per language.

Adds to the build: the HTML of all pages other plugins put in the
:class:`~press_core.site.Site`.  Each language gets its own environment with its
gettext catalog (``jinja2.ext.i18n``, compiled in memory), Babel date/number
filters in that language's digits, and the page's relative ``root``; the
language switcher and ``hreflang`` links come from the registry, so they only
point at files that are written.
"""

from __future__ import annotations

from pelican import signals

from press_core.i18n import catalogs_of
from press_core.site import Page, site_of, write_file
from press_core.templating import environment, template_dirs


class RenderGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path
        self.templates = template_dirs(settings, theme)

    def generate_context(self):
        """One environment per language; a broken catalog stops the build before any write."""
        site = site_of(self.context)
        catalogs = catalogs_of(self.context)
        self.environments = {}
        for language in site.languages:
            env = environment(self.templates, catalogs[language.code][0])
            env.filters.update(date=language.date, number=language.number, digits=language.digits)
            env.globals.update(lang=language)
            self.environments[language.code] = env
        neutral = self.environments[""] = environment(self.templates)
        neutral.globals.update(lang=None)

    def page_context(self, page: Page) -> dict:
        site = site_of(self.context)
        root = page.root
        if page.context.get("absolute_links") and self.settings.get("SITEURL"):
            root = self.settings["SITEURL"].rstrip("/") + "/"

        def href(page_id: str, lang: str | None = None) -> str:
            target = site.get(page_id, page.lang if lang is None else lang)
            if target is None:
                raise LookupError(f"{page.path} links to {page_id!r}, which no plugin registered")
            return root + target.path

        alternates = [(site.by_code[p.lang], root + p.path) for p in site.alternates(page)]
        default_lang = self.settings.get("DEFAULT_LANG")
        x_default = next((url for language, url in alternates if language.code == default_lang), None)
        return {
            **page.context,
            "page": page,
            "root": root,
            "href": href,
            "has_page": lambda page_id: site.get(page_id, page.lang) is not None,
            "languages": site.languages,
            "switcher": [(language, root + target.path) for language, target in site.switcher(page)],
            "alternates": alternates,
            "x_default": x_default or (alternates[0][1] if alternates else None),
            "settings": self.settings,
        }

    def generate_output(self, writer):
        site = site_of(self.context)
        for page in site.pages():
            template = self.environments[page.lang].get_template(page.template)
            html = template.render(self.page_context(page))
            write_file(self.output_path, page.path, html)


def get_generators(pelican):
    return RenderGenerator


def register():
    signals.get_generators.connect(get_generators)
