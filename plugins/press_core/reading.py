"""Turn the files under ``content/`` into the validated content graph.

Shared by the ``press_content`` plugin (the build) and ``invoke check``: both
call :func:`read_content`, so a pull request that passes the check builds.

Plugins with their own content (blocs, finance, congresses) join the same single
read through :func:`register_section`: their readers run after the articles and
pages, in ``PLUGINS`` order, report into the same problem list, and store their
model in ``graph.sections`` — so one run shows every mistake of a pull request.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from . import privacy, sourcecache, yamlfile
from .languages import load_languages
from .markup import MarkdownCache, first_paragraph, has_remote_resource, plain_inline, render_inline
from .model import ContentGraph, Correction, Item, Tag, Version
from .parallel import fork_imap, processes_of
from .paths import KEY, check_tree, unsafe_name
from .privacy import allowed_emails, check_emails, report_emails
from .problems import Problems
from .yamlfile import LineDict, YamlSyntaxError, load_data_file, parse_yaml, split_front_matter

FILE_NAME = re.compile(r"^(?P<key>[^.]+)\.(?P<lang>[^.]+)\.md$")
ORIGINAL_ONLY = ("date", "category", "authors")
FIELDS = {"title", "translation", "summary", "tags", "modified", "status", "corrections", *ORIGINAL_ONLY}
KINDS = {"article": "articles", "page": "pages"}
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")


@functools.lru_cache(maxsize=4096)
def _date_text(text: str) -> dt.datetime | None:
    """``text`` in one of DATE_FORMATS, else None; memoised: a site's texts share their dates,
    and ``strptime`` takes some 30 µs a call."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def by_parts(path: Path) -> tuple[str, ...]:
    """Sort key in ``Path`` order (part by part), compared in C: ``sorted(paths)`` calls
    ``Path.__lt__`` in Python, a second at tens of thousands of files."""
    return path.parts


@functools.cache  # a site has thousands of tagged texts, and far fewer tags
def tag_slug(label: str) -> str:
    """A readable Unicode slug: letters and digits kept in their own script."""
    slug = re.sub(r"[^\w]+", "-", label.strip().casefold()).strip("-")[:80].strip("-") or "tag"
    return f"{slug}-tag" if unsafe_name(slug) else slug  # "con", "nul": Windows device names


@dataclass
class SourceFile:
    """One parsed content file, before it becomes a Version."""

    path: Path
    key: str
    lang: str
    meta: LineDict
    utf8: bytes  # the Markdown body as UTF-8: a rebuild hashes it (the Markdown cache's key), as cached
    body_line: int  # the file line the Markdown body starts on

    @functools.cached_property
    def body(self) -> str:
        return self.utf8.decode("utf-8")

    @property
    def is_translation(self) -> bool:
        return self.meta.get("translation") is True

    def line_of_text(self, needle: str) -> int:
        for offset, line in enumerate(self.body.splitlines()):
            if needle in line:
                return self.body_line + offset
        return self.body_line


SectionRead = Callable[["ContentReader", ContentGraph], object]
_SECTION_READERS: dict[str, list[tuple[str, SectionRead]]] = {}  # plugin module -> readers


def register_section(plugin: str, name: str, read: SectionRead) -> None:
    """Let ``plugin`` (its module name, as listed in ``PLUGINS``) read a part of ``content/``.

    ``read(reader, graph)`` runs during :func:`read_content` whenever the plugin is
    enabled; it records problems in ``reader.problems`` (``path:line: … — fix``) and
    returns the section's model, stored as ``graph.sections[name]``.  Readers of
    later plugins see the sections of earlier ones (e.g. bloc ids).  Call it from
    the plugin's ``register()``; registering again replaces the reader.
    """
    readers = [entry for entry in _SECTION_READERS.get(plugin, []) if entry[0] != name]
    _SECTION_READERS[plugin] = [*readers, (name, read)]


class ContentReader:
    """Reads ``content/`` once; section readers use its settings, languages and problem list."""

    def __init__(self, settings):
        self.settings = settings
        self.content = Path(settings["PATH"])
        self.problems = Problems(self.content.parent)
        self.languages = {language.code: language for language in load_languages(settings)}
        self.default_lang = settings.get("DEFAULT_LANG", next(iter(self.languages)))
        self.timezone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.categories: dict[str, dict[str, str]] = {}
        self.people: dict[str, dict[str, str]] = {}
        self.allowed_emails = allowed_emails(settings.get("PUBLIC_EMAILS"))
        self.scanned: set[str] = set()  # files read_source read (and scanned for e-mail addresses)
        self.tags: dict[str, Tag] = {}  # label -> its one Tag, which every version with it shares
        self.parsed_ahead: dict[Path, tuple] = {}  # see parse_ahead
        cache = settings.get("CACHE_PATH")
        self.markdown = MarkdownCache(Path(cache) / "markdown.sqlite" if cache else None)
        self.sources = sourcecache.SourceCache(
            Path(cache) / sourcecache.CACHE_NAME if cache else None, self._sources_salt()
        )

    def _sources_salt(self) -> bytes:
        """What parsing a file depends on besides its bytes: this code, PyYAML, PUBLIC_EMAILS."""
        digest = hashlib.sha256(f"{yaml.__version__}\0{sorted(self.allowed_emails)}\0".encode())
        for module in (sys.modules[__name__], yamlfile, privacy, sourcecache):
            digest.update(Path(module.__file__).read_bytes())
        return digest.digest()

    # -- shared data files -------------------------------------------------
    def read_labels(self, name: str, nested: str | None) -> dict[str, dict[str, str]]:
        path = self.content / name
        if not path.exists():
            return {}
        data = load_data_file(path, self.problems)
        result = {}
        for key, value in (data or {}).items():
            line = data.line_of(key)
            labels = value.get(nested) if nested and isinstance(value, dict) else value
            if not isinstance(key, str) or not KEY.match(key):
                self.problems.add(
                    path, line, f"key {key!r} is not a valid key", "use lowercase a-z, 0-9 and -"
                )
            elif not isinstance(labels, dict) or not labels:
                where = f"a '{nested}:' mapping" if nested else "a mapping"
                self.problems.add(
                    path, line, f"'{key}' has no labels", f"give {where} of language code → text"
                )
            else:
                unknown = [code for code in labels if code not in self.languages]
                if unknown:
                    self.problems.add(
                        path,
                        labels.line_of(unknown[0]) if isinstance(labels, LineDict) else line,
                        f"unknown language code '{unknown[0]}'",
                        f"use one of {self.known_codes()}",
                    )
                result[key] = {code: str(text) for code, text in labels.items()}
        return result

    def known_codes(self) -> str:
        return ", ".join(self.languages)

    # -- one content file --------------------------------------------------
    def parse_date(self, path, meta: LineDict, field: str):
        value = meta.get(field)
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.timezone)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=self.timezone)
        parsed = _date_text(value.strip()) if isinstance(value, str) else None
        if parsed is not None:
            return parsed.replace(tzinfo=self.timezone)
        self.problems.add(
            path,
            meta.line_of(field),
            f"malformed {field} {value!r}",
            'write it as YYYY-MM-DD or "YYYY-MM-DD HH:MM", e.g. 2025-03-14',
        )
        return None

    def read_source(self, path: Path) -> str | None:
        """The text of a Markdown file (None if it is not UTF-8), scanned for e-mail addresses
        here: :func:`check_emails` then skips it, so each file is read once."""
        self.scanned.add(str(path))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return None
        report_emails(path, text, self.allowed_emails, self.problems)
        return text

    def read_file(self, kind: str, path: Path):
        """``path`` parsed, or None with its problem recorded.  An unchanged file that an
        earlier build read without a problem is taken from the cache (:mod:`.sourcecache`)."""
        match = FILE_NAME.match(path.name)
        if not match:
            self.problems.add(
                path, 1, "file name is not <key>.<lang>.md", "rename it, e.g. congress-call.ar.md"
            )
            return None
        key, lang = match["key"], match["lang"]
        if not KEY.match(key):
            self.problems.add(
                path,
                1,
                f"key '{key}' in the file name is not valid",
                "use lowercase a-z, 0-9, - (not a Windows device name such as con, aux, nul)",
            )
            return None
        if lang not in self.languages:
            self.problems.add(
                path,
                1,
                f"unknown language code '{lang}'",
                f"use one of {self.known_codes()}, or add the language with `invoke add-locale {lang}`",
            )
            return None
        ahead = self.parsed_ahead.pop(path, None)  # parsed by a worker (parse_ahead), not cached
        if ahead is None:
            cached, identity = self.sources.get(path)
            if cached is not None:
                self.scanned.add(str(path))
                return SourceFile(path, key, lang, *cached)
        reported = len(self.problems.items) + len(self.problems.warnings)
        if ahead is None:
            parsed = self.parse_file(path)
        else:  # the worker's problems count as if found here
            identity, parsed, problems, warnings = ahead
            self.scanned.add(str(path))
            self.problems.items += problems
            self.problems.warnings += warnings
        if parsed is None:
            return None
        if ahead is None and len(self.problems.items) + len(self.problems.warnings) == reported:
            self.store_source(path, identity, parsed)  # (parse_ahead stored its files)
        return SourceFile(path, key, lang, *parsed)

    def store_source(self, path: Path, identity: tuple, parsed: tuple[LineDict, bytes, int]) -> None:
        """Keep a file parsed without a problem in the source cache (the body as UTF-8: pickling
        a str keeps a UTF-8 copy of it inside the str; at 10k the build held 150 MB more once the
        content was read)."""
        self.sources.put(path, identity, parsed)

    def parse_ahead(self, paths: list[Path]) -> None:
        """With an empty source cache (a cold build), parse ``paths`` in forked workers
        (press_core.parallel) before :meth:`read_file` comes to them one by one: at 10k
        articles the front matter took 6 s in this process alone.  Each result comes with the
        file's identity taken before reading it (for the cache) and the problems found; a file
        without a problem is stored in the cache as it arrives, while the workers go on.
        On a rebuild it tells the source cache which files come next instead."""
        if self.sources:  # a rebuild: most files come from the cache, in this order
            self.sources.expect(paths)
            return

        paths = [path for path in paths if FILE_NAME.match(path.name)]  # read_file reports the others

        def parse(index: int):
            items, warnings = self.problems.items, self.problems.warnings
            before = len(items), len(warnings)
            identity = self.sources.get(paths[index])[1]  # before the read, as read_file takes it
            parsed = self.parse_file(paths[index])
            found = items[before[0] :], warnings[before[1] :]
            del items[before[0] :], warnings[before[1] :]  # read_file adds them (a run in this process)
            return identity, parsed, *found

        results = fork_imap(parse, len(paths), processes_of(self.settings))
        for path, result in zip(paths, results, strict=True):
            identity, parsed, problems, warnings = self.parsed_ahead[path] = result
            if parsed is not None and not problems and not warnings:
                self.store_source(path, identity, parsed)

    def parse_file(self, path: Path) -> tuple[LineDict, bytes, int] | None:
        """Front matter, body (as UTF-8, as SourceFile and the cache keep it) and the body's first
        line; None with the problem recorded."""
        text = self.read_source(path)
        if text is None:
            self.problems.add(path, 1, "file is not UTF-8 text", "save the file as UTF-8")
            return None
        parts = split_front_matter(text)
        if parts is None:
            self.problems.add(
                path, 1, "no front matter", "start the file with --- , title: …, --- (docs/CONTENT.md)"
            )
            return None
        front, body, body_line = parts
        try:
            meta = parse_yaml(front, first_line=2)
        except YamlSyntaxError as exc:
            self.problems.add(
                path, exc.line, f"front matter is not valid YAML ({exc})", "fix the YAML on that line"
            )
            return None
        if not isinstance(meta, LineDict):
            self.problems.add(
                path, 2, "front matter is not a list of `field: value` lines", "see docs/CONTENT.md"
            )
            return None
        return meta, body.encode("utf-8"), body_line

    def check_fields(
        self, path, meta: LineDict, is_translation: bool, fields=FIELDS, original_only=ORIGINAL_ONLY
    ) -> bool:
        """Known fields only, language-neutral ones on the original; a section plugin
        (press_blocs) passes its own ``fields`` and ``original_only``."""
        ok = True
        for name in meta:
            if name not in fields:
                known = ", ".join(sorted(fields))
                self.problems.add(path, meta.line_of(name), f"unknown field '{name}'", f"use one of: {known}")
                ok = False
            elif is_translation and name in original_only:
                self.problems.add(
                    path,
                    meta.line_of(name),
                    f"'{name}' is set on a translation",
                    f"remove it: {', '.join(original_only)} come from the original file",
                )
                ok = False
        title = meta.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problems.add(
                path, meta.line_of("title"), "missing title", "add a line `title: …` to the front matter"
            )
            ok = False
        if "translation" in meta and not isinstance(meta["translation"], bool):
            self.problems.add(
                path, meta.line_of("translation"), "translation must be true or false", "write true"
            )
            ok = False
        return ok

    def make_version(self, source: SourceFile, item: Item) -> Version:
        lang, meta, path = source.lang, source.meta, source.path
        rtl = self.languages[lang].is_rtl
        body_html = self.markdown.render(source.utf8, rtl)
        if has_remote_resource(body_html):
            self.problems.add(
                path,
                source.line_of_text("://"),
                "an image is loaded from another host",
                "add the image file to content/media/ and link it with a relative path",
            )
        summary = meta.get("summary")
        summary_html = render_inline(str(summary), rtl) if summary else first_paragraph(body_html)
        tags = meta.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str | int) for t in tags):
            self.problems.add(
                path, meta.line_of("tags"), "tags must be a list", "write tags: [first, second]"
            )
            tags = []
        modified = self.parse_date(path, meta, "modified") if "modified" in meta else None
        corrections = self.read_corrections(path, meta, rtl, item)
        title = str(meta["title"]).strip()
        return Version(
            item=item,
            lang=lang,
            title=title,
            title_html=plain_inline(title, rtl),
            summary=summary_html,
            body=body_html,
            source=self.problems.display_path(path),
            tags=[self.tag(str(t)) for t in tags],
            modified=modified,
            corrections=corrections,
        )

    def tag(self, label: str) -> Tag:
        """The build's one Tag of ``label``: a page's key hashes each object once (issue 10), and
        a tag is on a thousand versions."""
        found = self.tags.get(label)
        if found is None:
            found = self.tags[label] = Tag(tag_slug(label), label)
        return found

    def read_corrections(self, path: Path, meta: LineDict, rtl: bool, item: Item) -> list[Correction]:
        """``corrections:`` — a list of ``date:`` + ``note:`` (the note in this file's language)."""
        if "corrections" not in meta:
            return []
        entries = meta["corrections"]
        example = "write corrections: then lines `- date: YYYY-MM-DD` and `  note: what was corrected`"
        if not isinstance(entries, list) or not entries:
            self.problems.add(path, meta.line_of("corrections"), "corrections must be a list", example)
            return []
        found = []
        for entry in entries:
            if not isinstance(entry, LineDict):
                self.problems.add(
                    path, meta.line_of("corrections"), f"correction {entry!r} is not date + note", example
                )
                continue
            unknown = [name for name in entry if name not in ("date", "note")]
            if unknown:
                self.problems.add(
                    path,
                    entry.line_of(unknown[0]),
                    f"unknown correction field '{unknown[0]}'",
                    "a correction has only `date:` and `note:`",
                )
            date = None
            if "date" not in entry:
                self.problems.add(path, entry.line, "correction without a date", "add `date: YYYY-MM-DD`")
            else:
                date = self.parse_date(path, entry, "date")
                if date is not None and item.date is not None and date.date() < item.date.date():
                    self.problems.add(
                        path,
                        entry.line_of("date"),
                        f"correction dated {date.date().isoformat()}, before the text's own date "
                        f"{item.date.date().isoformat()}",
                        "check the year and month of the correction",
                    )
                    date = None
            note = entry.get("note")
            if not isinstance(note, str) or not note.strip():
                self.problems.add(
                    path,
                    entry.line_of("note"),
                    "correction without a note",
                    "add `note: …` saying what was corrected, in this file's language",
                )
            elif date is not None:
                found.append(Correction(date, render_inline(note.strip(), rtl)))
        return sorted(found, key=lambda correction: correction.date)

    def fill_original(self, item: Item, meta: LineDict, path: Path) -> None:
        if item.kind == "article":
            if "date" not in meta:
                self.problems.add(
                    path, meta.line, "missing date", "add `date: YYYY-MM-DD` to the front matter"
                )
            else:
                item.date = self.parse_date(path, meta, "date")
            category = meta.get("category")
            if category is None:
                self.problems.add(
                    path, meta.line, "missing category", f"add `category: …` ({self._categories()})"
                )
            elif category not in self.categories:
                self.problems.add(
                    path,
                    meta.line_of("category"),
                    f"unknown category '{category}'",
                    f"use one of: {self._categories()} (content/categories.yml)",
                )
            item.category = category
        elif "date" in meta:
            item.date = self.parse_date(path, meta, "date")
        authors = meta.get("authors") or []
        if isinstance(authors, str):
            authors = [authors]
        for author in authors:
            if author not in self.people:
                self.problems.add(
                    path,
                    meta.line_of("authors"),
                    f"unknown author '{author}'",
                    "use a key from content/people.yml or add the person there",
                )
        item.authors = [str(a) for a in authors]

    def _categories(self) -> str:
        return ", ".join(sorted(self.categories)) or "none defined yet"

    # -- the whole tree ----------------------------------------------------
    def read(self) -> ContentGraph:
        try:
            return self._read()
        finally:  # saved already, unless a reader failed: then nothing is committed
            self.sources.store.close()
            self.markdown.store.close()

    def _read(self) -> ContentGraph:
        check_tree(self.content, self.problems)  # no links out of content/, no unsafe names
        self.categories = self.read_labels("categories.yml", None)
        self.people = self.read_labels("people.yml", "name")
        groups: dict[tuple[str, str], list] = {}  # (kind, key) -> parsed files, in path order
        broken: set[tuple[str, str]] = set()  # keys whose files already have a reported problem
        found = [
            (kind, path)
            for kind, folder in KINDS.items()
            for path in sorted((self.content / folder).rglob("*.md"), key=by_parts)
        ]
        self.parse_ahead([path for _, path in found])
        for kind, path in found:
            match = FILE_NAME.match(path.name)
            parsed = self.read_file(kind, path)
            if parsed is None:
                broken.add((kind, match["key"] if match else path.name))
                continue
            key, meta = parsed.key, parsed.meta
            if meta.get("status") == "draft":
                continue
            if not self.check_fields(path, meta, parsed.is_translation):
                broken.add((kind, key))
                continue
            groups.setdefault((kind, key), []).append(parsed)
        self.prefetch_markdown([f for _, files in sorted(groups.items()) for f in files])  # as made next
        items = [
            item
            for (kind, key), files in sorted(groups.items())
            if (item := self.make_item(kind, key, files, (kind, key) in broken))
        ]
        graph = ContentGraph(items, self.categories, self.people, self.default_lang)
        for plugin in self.settings.get("PLUGINS") or []:
            for name, read in _SECTION_READERS.get(getattr(plugin, "__name__", plugin), []):
                graph.sections[name] = read(self, graph)
        check_emails(str(self.content), self.settings.get("PUBLIC_EMAILS", []), self.problems, self.scanned)
        self.sources.save()
        self.markdown.save()
        self.problems.raise_if_any()
        graph.warnings = sorted(set(self.problems.warnings))
        return graph

    def prefetch_markdown(self, files: list[SourceFile]) -> None:
        """Render the bodies of ``files`` that are not cached yet in parallel, before
        :meth:`make_item` asks for them one by one (a cold build's Markdown)."""
        self.markdown.prefetch(
            [(f.utf8, self.languages[f.lang].is_rtl) for f in files], processes_of(self.settings)
        )

    def make_item(self, kind: str, key: str, files: list, has_broken_file: bool) -> Item | None:
        """One item from its language files; None (with problems recorded) if they do not fit."""
        seen: dict[str, Path] = {}
        for source in files:
            lang, path = source.lang, source.path
            if lang in seen:
                self.problems.add(
                    path,
                    1,
                    f"duplicate key '{key}' in {lang}: {self.problems.display_path(seen[lang])} has it",
                    "rename one of the files to another key",
                )
                return None
            seen[lang] = path
        originals = [source for source in files if not source.is_translation]
        if len(originals) > 1:
            langs = " and ".join(source.lang for source in originals)
            self.problems.add(
                originals[1].path,
                1,
                f"'{key}' has two originals ({langs})",
                f"add `translation: true` to the file that translates the {originals[0].lang} one",
            )
            return None
        if not originals:
            if not has_broken_file:  # else its original's problem is reported already
                self.problems.add(
                    files[0].path,
                    files[0].meta.line_of("translation"),
                    f"translation of '{key}' has no original",
                    f"add the original file {key}.<lang>.md beside it, or remove `translation: true`",
                )
            return None
        original = originals[0]
        item = Item(kind=kind, key=key, original_lang=original.lang)
        self.fill_original(item, original.meta, original.path)
        for source in files:
            item.versions[source.lang] = self.make_version(source, item)
        return item


def read_content(settings) -> ContentGraph:
    """Read and validate everything; raise ContentError listing every problem."""
    return ContentReader(settings).read()
