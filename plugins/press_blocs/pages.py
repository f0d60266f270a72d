"""The blocs section's pages and feeds, in every language.

Registers, per language (page id → path, template):

* ``blocs`` → ``<lang>/blocs/index.html`` (``blocs.html``): the blocs in ``BLOC_ORDER``, former ones apart;
* ``bloc:<id>`` → ``<lang>/blocs/<id>/index.html`` (``bloc.html``): description, papers newest first,
  members' personal contributions, the bloc's own feed;
* ``papers`` → ``<lang>/papers/index.html`` (``papers.html``) and ``outside`` →
  ``<lang>/outside/index.html`` (``outside.html``): every paper / outside voice, newest first;
* ``paper:<key>`` / ``outside:<key>`` at the item's path (``paper.html``, or press_pages'
  ``untranslated.html`` stand-in when the language lacks it), with a search entry;
* ``question:<id>`` → ``<lang>/questions/<id>/index.html`` (``question.html``): every position
  side by side, the other contributions and the reply threads;
* ``positions`` → ``<lang>/positions/index.html`` (``positions.html``): questions × blocs.

Feeds (press_feeds.add_section_feed): ``papers``, ``outside`` and ``bloc-<id>`` per bloc.
"""

from __future__ import annotations

from press_content import CONTEXT_KEY
from press_core.model import ContentGraph, Item
from press_core.site import Page, SearchEntry, Site, site_of
from press_feeds import add_section_feed
from press_pages import chrome_of

from .model import Blocs


class BlocsGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings = context, settings

    def generate_context(self):
        graph: ContentGraph = self.context[CONTEXT_KEY]
        section: Blocs | None = graph.sections.get("blocs")
        if section is None:
            return
        site = site_of(self.context)
        for language in site.languages:
            lang = language.code
            chrome = {**chrome_of(graph, self.settings, lang), "blocs": section}
            self.section_pages(site, graph, section, lang, chrome)
            self.item_pages(site, graph, section, lang, chrome)
        self.feeds(graph, section)

    def section_pages(self, site: Site, graph: ContentGraph, section: Blocs, lang: str, chrome: dict) -> None:
        site.add(Page(lang, "blocs", f"{lang}/blocs/index.html", "blocs.html", chrome))
        for bloc in section.blocs.values():
            context = {
                **chrome,
                "bloc": bloc,
                "papers": section.papers_of(graph, bloc.id),
                "members": section.members_of(graph, bloc.id),
            }
            site.add(Page(lang, bloc.page_id, bloc.path(lang), "bloc.html", context, fallback_id="blocs"))
        papers = section.papers(graph)
        site.add(
            Page(
                lang,
                "papers",
                f"{lang}/papers/index.html",
                "papers.html",
                {**chrome, "items": newest(papers)},
            )
        )
        outside = graph.of_kind("outside")
        site.add(
            Page(
                lang,
                "outside",
                f"{lang}/outside/index.html",
                "outside.html",
                {**chrome, "items": newest(outside)},
            )
        )
        for question in section.questions.values():
            context = {**chrome, "question": question}
            site.add(
                Page(
                    lang,
                    question.page_id,
                    question.path(lang),
                    "question.html",
                    context,
                    fallback_id="positions",
                )
            )
        site.add(Page(lang, "positions", f"{lang}/positions/index.html", "positions.html", chrome))

    def item_pages(self, site: Site, graph: ContentGraph, section: Blocs, lang: str, chrome: dict) -> None:
        listing = {"paper": "papers", "outside": "outside"}
        repliable = section.repliable(graph)
        for item in [*section.papers(graph), *graph.of_kind("outside")]:
            version = item.versions.get(lang)
            if version is None:
                available = [item.versions[code] for code in site.by_code if code in item.versions]
                context = {**chrome, "item": item, "available": available}
                site.add(
                    Page(
                        lang,
                        item.id,
                        item.path(lang),
                        "untranslated.html",
                        context,
                        translated=False,
                        fallback_id=listing[item.kind],
                    )
                )
                continue
            context = {**chrome, "version": version, "thread": section.thread(repliable, item)}
            search = SearchEntry(
                version.title,
                version.body,
                listing[item.kind],
                item.date,
                facets=search_facets(item),
            )
            site.add(
                Page(
                    lang,
                    item.id,
                    item.path(lang),
                    "paper.html",
                    context,
                    fallback_id=listing[item.kind],
                    search=search,
                )
            )

    def feeds(self, graph: ContentGraph, section: Blocs) -> None:
        def versions_of(items_of):
            return lambda lang: [item.versions[lang] for item in items_of() if lang in item.versions]

        add_section_feed(
            self.context, "papers", "Position papers", versions_of(lambda: section.papers(graph)), "papers"
        )
        add_section_feed(
            self.context,
            "outside",
            "Outside voices",
            versions_of(lambda: graph.of_kind("outside")),
            "outside",
        )
        for bloc in section.blocs.values():
            add_section_feed(
                self.context,
                f"bloc-{bloc.id}",
                bloc.name,  # a callable: the bloc's own name in each language, not a msgid
                versions_of(lambda bloc_id=bloc.id: section.papers_of(graph, bloc_id)),
                bloc.page_id,
            )


def newest(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda item: (-(item.date.timestamp() if item.date else 0), item.key))


def search_facets(item: Item) -> dict[str, str]:
    details = item.details
    facets = {"voice": details.voice}
    if item.date is not None:
        facets["year"] = str(item.date.year)
    bloc = details.blocs[0] if details.blocs else details.member_of
    if bloc:
        facets["bloc"] = bloc
    if details.question:
        facets["question"] = details.question
    return facets
