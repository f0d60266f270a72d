"""Pages for articles and standing pages, in every configured language.

Adds to the build, for each language: the home page with the latest articles
(paginated), one page per item (or an honest "not translated" page at the same
URL when the item lacks that language, linking the languages that have it),
category, tag and author listings with their indexes, the 404 page, and the
language-neutral root ``index.html`` and ``404.html``.
"""

from __future__ import annotations

from pelican import signals

from press_content import CONTEXT_KEY
from press_core.model import SECTIONS, ContentGraph, Version
from press_core.site import Page, SearchEntry, Site, site_of


def paginate(
    site: Site,
    lang: str,
    page_id: str,
    directory: str,
    versions: list[Version],
    template: str,
    context: dict,
    page_size: int,
) -> None:
    """Register ``directory/index.html`` and ``directory/page/N/index.html``."""
    chunks = [versions[i : i + page_size] for i in range(0, len(versions), page_size)] or [[]]
    paths = [f"{directory}/index.html"] + [
        f"{directory}/page/{n}/index.html" for n in range(2, len(chunks) + 1)
    ]
    ids = [page_id] + [f"{page_id}/page/{n}" for n in range(2, len(chunks) + 1)]
    for number, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": number,
            "count": len(chunks),
            "previous": paths[number - 2] if number > 1 else None,
            "next": paths[number] if number < len(chunks) else None,
        }
        site.add(
            Page(
                lang,
                ids[number - 1],
                paths[number - 1],
                template,
                {**context, "versions": chunk, "total": len(versions), "pagination": pagination},
                fallback_id=page_id,
            )
        )


def chrome_of(graph: ContentGraph, settings, lang: str) -> dict:
    """What every page of ``lang`` needs for its header (also for section plugins' pages)."""
    names = settings.get("SITE_NAMES", {})
    return {
        "graph": graph,
        "site_name": names.get(lang) or names.get(graph.default_lang) or settings["SITENAME"],
        "nav_categories": [(f"category:{key}", graph.category_label(key, lang)) for key in graph.categories],
        "nav_pages": [
            (item.id, item.versions[lang].title) for item in graph.of_kind("page") if lang in item.versions
        ],
    }


class PagesGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings = context, settings

    def generate_context(self):
        graph: ContentGraph = self.context[CONTEXT_KEY]
        site = site_of(self.context)
        size = int(self.settings.get("PAGE_SIZE", 10))
        names = self.settings.get("SITE_NAMES", {})
        site.add(Page("", "root", "index.html", "root.html", {"site_names": names}))
        site.add(Page("", "404", "404.html", "404.html", {"site_names": names, "absolute_links": True}))
        for language in site.languages:
            lang = language.code
            chrome = chrome_of(graph, self.settings, lang)
            articles = graph.versions(lang)
            paginate(site, lang, "home", lang, articles, "home.html", chrome, size)
            self.item_pages(site, graph, lang, chrome)
            for key in graph.categories:
                chosen = [v for v in articles if v.item.category == key]
                paginate(
                    site,
                    lang,
                    f"category:{key}",
                    f"{lang}/categories/{key}",
                    chosen,
                    "listing.html",
                    {**chrome, "kind": "category", "label": graph.category_label(key, lang)},
                    size,
                )
            texts = graph.texts(lang)  # tags and authors span articles, position papers, outside voices
            tags: dict = {}
            for version in texts:
                for tag in version.tags:
                    tags.setdefault(tag.slug, (tag, []))[1].append(version)
            for slug, (tag, chosen) in sorted(tags.items()):
                paginate(
                    site,
                    lang,
                    f"tag:{slug}",
                    f"{lang}/tags/{slug}",
                    chosen,
                    "listing.html",
                    {**chrome, "kind": "tag", "label": tag.label},
                    size,
                )
                site.get(f"tag:{slug}", lang).fallback_id = "tags"
            site.add(
                Page(
                    lang,
                    "tags",
                    f"{lang}/tags/index.html",
                    "terms.html",
                    {
                        **chrome,
                        "kind": "tags",
                        "terms": [
                            (f"tag:{slug}", tag.label, len(chosen))
                            for slug, (tag, chosen) in sorted(tags.items())
                        ],
                    },
                )
            )
            authors: dict = {}
            for version in texts:
                for key in version.item.authors:
                    authors.setdefault(key, []).append(version)
            for key, chosen in sorted(authors.items()):
                paginate(
                    site,
                    lang,
                    f"author:{key}",
                    f"{lang}/authors/{key}",
                    chosen,
                    "listing.html",
                    {**chrome, "kind": "author", "label": graph.person_name(key, lang)},
                    size,
                )
                site.get(f"author:{key}", lang).fallback_id = "authors"
            site.add(
                Page(
                    lang,
                    "authors",
                    f"{lang}/authors/index.html",
                    "terms.html",
                    {
                        **chrome,
                        "kind": "authors",
                        "terms": [
                            (f"author:{key}", graph.person_name(key, lang), len(chosen))
                            for key, chosen in sorted(authors.items())
                        ],
                    },
                )
            )
            site.add(Page(lang, "404", f"{lang}/404.html", "404.html", {**chrome, "absolute_links": True}))

    def item_pages(self, site: Site, graph: ContentGraph, lang: str, chrome: dict) -> None:
        for item in graph.items:
            if site.get(item.id, lang) is not None:
                continue  # a section plugin registered its own view (press_blocs: papers)
            version = item.versions.get(lang)
            if version is not None:
                template = "article.html" if item.kind == "article" else "page.html"
                entry = SearchEntry(version.title, version.body, SECTIONS[item.kind], item.date)
                context = {**chrome, "version": version}
                site.add(Page(lang, item.id, item.path(lang), template, context, search=entry))
            else:
                available = [item.versions[code] for code in site.by_code if code in item.versions]
                site.add(
                    Page(
                        lang,
                        item.id,
                        item.path(lang),
                        "untranslated.html",
                        {**chrome, "item": item, "available": available},
                        translated=False,
                    )
                )


def get_generators(pelican):
    return PagesGenerator


def register():
    signals.get_generators.connect(get_generators)
