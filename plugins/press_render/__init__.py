"""Renders every registered page, one Jinja environment per language.

Adds to the build: the HTML of all pages other plugins put in the
:class:`~press_core.site.Site`.  Each language gets its own environment with its
gettext catalog (``jinja2.ext.i18n``, compiled in memory), Babel date/number
filters in that language's digits, and the page's relative ``root``; the
language switcher and ``hreflang`` links come from the registry, so they only
point at files that are written.  Pages are rendered in parallel, one forked worker
per core (``RENDER_PROCESSES``; 1 renders in the build's own process): the output is
byte-identical either way.  A rebuild renders only the pages whose inputs changed and
keeps the others where they are in the last good output (:mod:`press_core.pagecache`).
"""

from __future__ import annotations

from pelican import signals

from press_core import pagecache, postbuild
from press_core.i18n import catalogs_of
from press_core.parallel import fork_map, processes_of
from press_core.site import Page, site_of, write_file
from press_core.templating import add_language_filters, environment, template_dirs, template_globals


class RenderGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path
        self.theme, self.templates = theme, template_dirs(settings, theme)

    def generate_context(self):
        """One environment per language; a broken catalog stops the build before any write."""
        site = site_of(self.context)
        catalogs = catalogs_of(self.context)
        self.environments = {}
        cache = self.settings.get("CACHE_PATH")
        for language in site.languages:
            env = environment(self.templates, catalogs[language.code][0], cache=cache)
            add_language_filters(env, language)
            env.globals.update(lang=language, **template_globals(self.context))
            self.environments[language.code] = env
        neutral = self.environments[""] = environment(self.templates, cache=cache)
        neutral.globals.update(lang=None, **template_globals(self.context))

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

    def render(self, page: Page, key: bytes | None):
        """Write the page; its entry for the page cache."""
        template = self.environments[page.lang].get_template(page.template)
        write_file(self.output_path, page.path, template.render(self.page_context(page)))
        return pagecache.PageCache.entry(page.path, key, self.output_path)

    def page_cache(self) -> pagecache.PageCache:
        whole_graph = pagecache.templates_reading_graph(self.environments[""])
        key = pagecache.build_key(
            self.settings,
            [*self.settings.get("THEME_TEMPLATES_OVERRIDES", []), self.theme],  # the theme has its templates
            self.settings.get("PLUGIN_PATHS", []),
            catalogs_of(self.context),
            template_globals(self.context),
            site_of(self.context),
        )
        return pagecache.PageCache(self.settings, key, whole_graph, postbuild.previous_output(self.settings))

    def generate_output(self, writer):
        """Every page, spread over ``RENDER_PROCESSES`` forked workers (press_core.parallel).

        Templates are compiled here first, so a template error stops the build once and the
        workers inherit the compiled code; each page is then rendered from the same registry
        and written to its own file, so the output does not depend on who rendered what.

        The pages' keys are computed here, before forking: hashing reads every value of every
        page, and in a worker that would copy memory it shares with this process (a page's
        refcounts change).  With a previous output, the unchanged pages are kept there
        (``KEPT_FILES``: press_core.build moves this build's files in beside them); the workers
        render the rest.
        """
        pages = site_of(self.context).pages()
        for lang, name in sorted({(page.lang, page.template) for page in pages}):
            self.environments[lang].get_template(name)
        cache = self.page_cache()
        keys = [cache.key_of(page) for page in pages]
        entries, todo = [], range(len(pages))
        kept = self.settings.setdefault(pagecache.KEPT_FILES, set())  # (search, feeds: theirs)
        if cache.recorded:
            todo = []
            for index, page in enumerate(pages):
                entry = cache.keep(page.path, keys[index])
                if entry is not None:
                    entries.append(entry)
                    kept.add(page.path)
                else:
                    todo.append(index)

        def render(i: int):
            return self.render(pages[todo[i]], keys[todo[i]])

        entries += fork_map(render, len(todo), processes_of(self.settings))
        cache.save(entries)
        self.settings[pagecache.RECORDED_PAGES] = {entry[0] for entry in entries if entry is not None}


def get_generators(pelican):
    return RenderGenerator


def register():
    signals.get_generators.connect(get_generators)
