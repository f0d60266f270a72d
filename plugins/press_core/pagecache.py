"""Rebuilds re-render only the pages whose inputs changed (issue 10).

A page's HTML is a function of its template and of the values it is rendered with.  The
*key* of a page is a digest of all of them: the **build key** (the theme's files, the
catalogs, the settings, the plugins' code, the library versions, the template globals and
the page registry, which ``href``, ``has_page`` and the language switcher read) and the
page's own id, path, template and context, hashed structurally by :class:`Digester`.

After a build that succeeded, ``CACHE_PATH/pages.pickle`` maps every written page to its key
and to the identity of the file (inode, size, modification time).  The next build gets the last good
``output/`` (:data:`PREVIOUS_OUTPUT`); a page whose key is unchanged and whose file there (and
its ``.gz``/``.br``) is still the one that build wrote is *kept*: not rendered, and left where
it is (:data:`KEPT_FILES`), while :mod:`press_core.build` writes the rest into a fresh folder
and, once the build succeeded, moves it into ``output/``.  Anything else is rendered, so a
missing or deleted cache only costs time; the output is byte-identical either way (tested).

The content graph is in every page's context (``graph``), but templates read only its
tables of names (people, categories) from it.  :func:`templates_reading_graph` checks that
on the templates' syntax trees: for a template that reads anything else from ``graph`` (the
positions table passes it to the blocs' helpers), pages are rendered every build.

Likewise a plugin marks a dataclass field that no template reads with
``field(metadata=NOT_IN_PAGES)`` (a feed's entries, which only the feed files show, are in
every page's context): a field that a template does read must never be marked, or its
pages would keep stale text.

Written by hand: a cache keyed on values as Jinja sees them is specific to this renderer
(Pelican's own cache keys parsed content on the source file only, and ignores settings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import shutil
import sys
import types
from decimal import Decimal
from importlib import metadata
from itertools import chain
from pathlib import Path

from babel import Locale
from jinja2 import meta, nodes

from .model import ContentGraph, Item, Version

PREVIOUS_OUTPUT = "PRESS_PREVIOUS_OUTPUT"  # setting: the last good output/ (set by press_core.build)
# setting: the files left in place in that output (press_render; others by site.write_or_keep)
KEPT_FILES = "PRESS_KEPT_FILES"
RECORDED_PAGES = "PRESS_RECORDED_PAGES"  # setting: the pages whose files this cache records (press_render)
CACHE_NAME = "pages.pickle"
# Settings that say where this build runs, not what it makes (the fresh output folder is new
# every build); what is in those folders counts through the pages' contexts.
WHERE_SETTINGS = {
    "PATH",
    "OUTPUT_PATH",
    "CACHE_PATH",
    PREVIOUS_OUTPUT,
    KEPT_FILES,
    RECORDED_PAGES,
    "PRESS_SETTINGS_FILE",
}
LIBRARIES = ("jinja2", "markupsafe", "babel", "pelican")
# What templates may read from ``graph`` without making every page depend on every item.
GRAPH_TABLES = {"person_name", "category_label", "label", "default_lang", "categories", "people"}


UNSEEN = "unseen_by_templates"
NOT_IN_PAGES = {UNSEEN: True}
"""``field(metadata=NOT_IN_PAGES)``: a dataclass field no template reads (say, a feed's entries,
which only the feed file shows), so a page's key leaves it out."""
_FIELD_NAMES: dict[type, list[str]] = {}


_SCALARS = frozenset((bool, int, float, Decimal, dt.date, dt.datetime, dt.time, bytes))
_CONTAINERS = frozenset((list, tuple, dict))  # hashed by value, never memoised as elements


def _hash(parts: list[str]) -> bytes:
    """SHA-256 (first 20 bytes): a rebuild hashes every text's HTML, 220 million characters at 10k,
    and on CPUs with SHA instructions that runs twice as fast as BLAKE2b."""
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).digest()[:20]


class Digester:
    """Structural digests of template values, memoised per object for one build.

    Strings, numbers, dates, lists, tuples, dicts and sets are hashed by value; other
    objects by type and attributes (dataclass fields or ``__dict__``), functions by name,
    defaults and the values they close over.  An :class:`Item` and its :class:`Version`
    objects point at each other: a version counts its item, and the item counts its
    versions' own fields.  The graph counts as its name tables only (see
    :func:`templates_reading_graph`).
    """

    def __init__(self):
        self._memo: dict[int, bytes] = {}
        self._keep: list = []  # the memoised objects, so that no id() is reused meanwhile
        self._active: dict[int, int] = {}  # objects being hashed -> their depth
        self._low = 0  # the least depth a reference back reached while hashing the current object
        self._fields: dict[int, bytes] = {}  # id(version) -> digest of its own fields
        self._entered: dict[int, bytes] = {}  # objects on a cycle -> their digest entered there

    def digest(self, value) -> bytes:
        parts: list[str] = []
        self._feed(parts.append, value)
        return _hash(parts)

    def digest_context(self, head: list, context: dict) -> bytes:
        """``digest([head, context])``, but the context's lists and dicts, which pages of a
        language share (navigation, tables), are hashed once each, like objects."""
        parts: list[str] = []
        add = parts.append
        self._feed(add, head)
        for name, value in context.items():
            add(f"s{len(name)}:")
            add(name)
            if type(value) in (list, dict):
                add(self._object(value).hex() + ";")
            else:
                self._feed(add, value)
        return _hash(parts)

    def _feed(self, add, value) -> None:
        """Append to a digest's text (``add``) what stands for ``value``: texts with their
        length, scalars as ``type:repr;``, objects as their digest in hex and ``;``, so the text
        reads back one way only.  One string hashed at the end costs far less than one hash
        update per value (a page's key reads some hundred values); for the same reason a
        list's or dict's elements that are texts, scalars or objects hashed already are
        written here, not in a call each."""
        kind = type(value)
        if kind is str or isinstance(value, str):  # Markup too: the same text renders the same
            add(f"s{len(value)}:")
            add(value)
        elif value is None or kind in _SCALARS:
            add(f"{kind.__name__}:{value!r};")
        elif kind is list or kind is tuple or isinstance(value, dict):
            mapping = isinstance(value, dict)
            add(f"{{{len(value)}" if mapping else f"[{len(value)}")
            memo = self._memo
            for element in chain.from_iterable(value.items()) if mapping else value:  # keys, values
                kind = type(element)
                if kind is str:
                    add(f"s{len(element)}:")
                    add(element)
                elif element is None or kind in _SCALARS:
                    add(f"{kind.__name__}:{element!r};")
                elif kind not in _CONTAINERS and id(element) in memo:  # as _object() would
                    add(memo[id(element)].hex() + ";")
                else:
                    self._feed(add, element)
            add("}" if mapping else "]")
        elif isinstance(value, (set, frozenset)):
            add(f"<{len(value)}{''.join(sorted(self.digest(e).hex() for e in value))}>")
        else:
            add(self._object(value).hex() + ";")  # hex has no ":", which every other value has

    def _object(self, value) -> bytes:
        """An object's digest.  A reference back to an object still being hashed (a cycle, such
        as a congress and its motions) counts as how many levels up that object is.  Objects on
        a cycle are memoised only as entered from outside (a page's value): reached from inside,
        their digest depends on where the hashing entered the cycle, and a page's key must not
        depend on which pages were hashed before it."""
        found = self._memo.get(id(value))
        if found is not None:
            return found
        if not self._active:  # entering here: the same digest whatever was hashed before
            found = self._entered.get(id(value))
            if found is not None:
                return found
        depth = self._active.get(id(value))
        if depth is not None:
            self._low = min(self._low, depth)
            return b"^%d" % (len(self._active) - depth)
        depth = self._active[id(value)] = len(self._active)
        outer_low, self._low = self._low, depth + 1
        try:
            kind = type(value)
            parts = [f"{kind.__module__}.{kind.__qualname__}|"]
            self._feed(parts.append, value if kind in (list, dict) else self._state(value))
            found = _hash(parts)
        finally:
            del self._active[id(value)]
            low, self._low = self._low, min(outer_low, self._low)
        if low > depth:  # on no cycle
            self._memo[id(value)] = found
            self._keep.append(value)
        elif depth == 0:  # on a cycle, entered here (say, a congress by each of its pages)
            self._entered[id(value)] = found
            self._keep.append(value)
        return found

    def _state(self, value):
        """What stands for ``value``'s object: the values that make it render as it does."""
        if isinstance(value, Version):
            return [self._version_fields(value), value.item]
        if isinstance(value, Item):
            versions = {lang: self._version_fields(version) for lang, version in value.versions.items()}
            return [self._own(value, "versions"), versions]
        if isinstance(value, ContentGraph):
            return [value.categories, value.people, value.default_lang]
        if isinstance(value, Locale):
            return str(value)
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, (types.FunctionType, types.MethodType)):
            function = getattr(value, "__func__", value)
            cells = [cell.cell_contents for cell in function.__closure__ or ()]
            return [function.__module__, function.__qualname__, function.__defaults__, cells,
                    getattr(value, "__self__", None)]  # fmt: skip
        if isinstance(value, (types.BuiltinFunctionType, type)):
            return repr(value)
        return self._own(value)

    def _version_fields(self, version: Version) -> bytes:
        """A version's fields but its item: counted by the version and by its item, hashed once."""
        found = self._fields.get(id(version))
        if found is None:
            found = self._fields[id(version)] = self.digest(self._own(version, "item"))
        return found

    def _own(self, value, *skip: str) -> dict:
        if dataclasses.is_dataclass(value):
            names = _FIELD_NAMES.get(type(value))
            if names is None:
                fields = dataclasses.fields(value)
                names = _FIELD_NAMES[type(value)] = [f.name for f in fields if not f.metadata.get(UNSEEN)]
            return {name: getattr(value, name) for name in names if name not in skip}
        if hasattr(value, "__dict__"):
            return {name: v for name, v in vars(value).items() if name not in skip}
        slots = [name for kind in type(value).__mro__ for name in getattr(kind, "__slots__", ())]
        if slots:
            return {name: getattr(value, name, None) for name in slots if name not in skip}
        return {"repr": repr(value)}


def templates_reading_graph(env) -> set[str]:
    """Templates that read more from ``graph`` than its name tables (GRAPH_TABLES), themselves
    or through a template they extend, include or import (e.g. pass the graph on to a helper)."""
    reads: dict[str, set[str]] = {}
    uses: dict[str, set[str]] = {}
    for name in env.list_templates():
        tree = env.parse(env.loader.get_source(env, name)[0])
        reads[name], stack = set(), [(tree, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, nodes.Name) and node.name == "graph":
                whole = not (isinstance(parent, nodes.Getattr) and parent.node is node)
                reads[name].add("*" if whole else parent.attr)
            stack.extend((child, node) for child in node.iter_child_nodes())
        uses[name] = {used for used in meta.find_referenced_templates(tree) if used}
    found = {name for name, attributes in reads.items() if attributes - GRAPH_TABLES}
    while True:  # and the templates that use those
        more = {name for name, used in uses.items() if used & found} - found
        if not more:
            return found
        found |= more


def files_digest(folders) -> bytes:
    """Digest of every file's path and bytes below ``folders`` (templates, static files, code)."""
    hasher = hashlib.blake2b(digest_size=20)
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hasher.update(str(path.relative_to(folder)).encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.digest()


class PageCache:
    """Keys of pages, and the previous build's pages to keep (see the module docstring)."""

    def __init__(self, settings, build_key: bytes, whole_graph_templates: set[str], previous=None):
        """``previous``: the last good output as :func:`press_core.postbuild.previous_output`
        trusts it (None: render every page)."""
        self.build_key = build_key
        self.whole_graph_templates = whole_graph_templates
        self.digester = Digester()
        cache = settings.get("CACHE_PATH")
        self.path = Path(cache) / CACHE_NAME if cache else None
        self.previous = previous
        self.recorded: dict[str, tuple] = {}
        if self.path is not None and self.previous is not None and self.path.is_file():
            try:
                with open(self.path, "rb") as handle:
                    self.recorded = pickle.load(handle)
            except Exception:  # a broken or foreign file: render everything, write a new one
                self.recorded = {}

    def key_of(self, page) -> bytes | None:
        """The page's key; None (render it, record nothing) without a cache folder, and for the
        few pages whose template reads the whole graph: hashing all of it would cost more than
        rendering them (and touch every object, which copies a forked worker's memory)."""
        if self.path is None or page.template in self.whole_graph_templates:
            return None
        head = [self.build_key, page.lang, page.id, page.path, page.template]
        head += [page.translated, page.fallback_id]
        return self.digester.digest_context(head, page.context)

    def keep(self, relative: str, key: bytes | None) -> tuple | None:
        """The page's cache entry when the previous output's file can stay as it is: its key is
        unchanged, and the file and its siblings are the ones that build wrote."""
        recorded = self.recorded.get(relative)
        if key is None or recorded is None or recorded[0] != key:
            return None
        try:
            if file_identity(os.stat(os.path.join(self.previous.folder, relative))) != recorded[1]:
                return None  # changed or replaced since this cache wrote it
        except OSError:  # the file went meanwhile: render it
            return None
        if self.previous.siblings_of(relative) is None:
            return None
        return relative, recorded  # the same file, so the same identity

    @staticmethod
    def entry(relative: str, key: bytes | None, output: str | Path) -> tuple | None:
        if key is None:
            return None
        return relative, (key, file_identity(os.stat(os.path.join(output, relative))))

    def save(self, entries) -> None:
        if self.path is None:
            return
        table = dict(entry for entry in entries if entry is not None)
        write_pending(self.path, pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))


PENDING = ".pending"


def write_pending(path: Path, data: bytes) -> None:
    """Write a cache file that describes this build's output: it takes effect in :func:`settle`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_name(path.name + PENDING).write_bytes(data)


def settle(settings, built: bool) -> None:
    """After a build: the cache files describing its output (:func:`write_pending`) replace the
    last ones when the output is in place (``built``); after a failed build the last good
    output's stay."""
    cache = settings.get("CACHE_PATH")
    if not cache or not os.path.isdir(cache):
        return
    for pending in Path(cache).glob(f"*{PENDING}"):
        if built:
            os.replace(pending, pending.with_name(pending.name.removesuffix(PENDING)))
        else:
            pending.unlink(missing_ok=True)


def link_or_copy(source: str, target: str) -> None:
    """Hard-link ``source`` as ``target`` (creating its folder); copy it where the file system
    has no hard links (e.g. FAT)."""
    try:
        os.link(source, target)
    except FileNotFoundError:  # the first file of its folder
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)


def file_identity(stat: os.stat_result) -> tuple:
    """What tells a file from one written in its place: inode, size, modification time."""
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def build_key(settings, theme_folders, code_folders, catalogs: dict, template_globals: dict, site) -> bytes:
    """Everything every page depends on (see the module docstring)."""
    digester = Digester()
    chosen = {name: value for name, value in sorted(settings.items()) if name not in WHERE_SETTINGS}
    libraries = [(name, metadata.version(name)) for name in LIBRARIES]
    texts = {  # the compiled messages (a language without a catalog has none)
        code: sorted(getattr(translations, "_catalog", {}).items(), key=repr)
        for code, (translations, _) in catalogs.items()
    }
    registry = [(p.path, p.id, p.lang, p.template, p.translated, p.fallback_id) for p in site.pages()]
    return digester.digest(
        [sys.version, libraries, files_digest(theme_folders), files_digest(code_folders), texts, chosen,
         template_globals, site.languages, registry]
    )  # fmt: skip
