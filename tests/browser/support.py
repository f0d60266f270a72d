"""The browser suite's building blocks: tools, the local server, the page registry, page helpers.

A *page type* is one kind of page the press writes (home, article, tag listing, 404 …).
``PAGE_TYPES`` lists them; every check that runs "on every page type in every language"
(axe, the Nu checker, layout at 360 px, requests, screenshots, page weight) is parametrized
over ``PAGE_INSTANCES``.  A new feature's page is one ``PageType(...)`` line here; a new
journey is one function in ``journeys.py`` and one parametrized test.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

sys.path.insert(0, str(ROOT / "plugins"))
from press_core.build import load_settings  # noqa: E402
from press_core.languages import load_languages  # noqa: E402

LANGUAGES = {language.code: language for language in load_languages(load_settings(ROOT / "pelicanconf.py"))}
CODES = list(LANGUAGES)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDTHS = {"narrow": 360, "wide": 1280}


# --- tools ------------------------------------------------------------------------------------------


def require(command: str, package: str) -> str:
    """The path of ``command``, or a test failure (never a skip) that says how to get it."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(
            f"the browser tests need `{command}` (Debian package `{package}`): "
            f"`python3 dev.py test` installs it, or run `apt-get install {package}`",
            pytrace=False,
        )
    return path


def ensure_node_modules() -> None:
    """``npm ci`` in tests/browser when node_modules is missing or package-lock.json changed."""
    lock = HERE / "package-lock.json"
    stamp = NODE_MODULES / ".package-lock.sha256"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    guard = (
        Path(tempfile.gettempdir()) / f"open-press-npm-{hashlib.sha256(bytes(HERE)).hexdigest()[:12]}.lock"
    )
    with open(guard, "w") as handle:  # one installer at a time (pytest-xdist workers)
        fcntl.flock(handle, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text().strip() == wanted and AXE.exists() and VNU.exists():
            return
        npm = require("npm", "npm")
        result = subprocess.run(
            [npm, "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--ignore-scripts"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or not (AXE.exists() and VNU.exists()):
            pytest.fail(f"`npm ci` in tests/browser failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
        stamp.write_text(wanted + "\n")


def launch_browser(playwright):
    chromium = require("chromium", "chromium")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


# --- the site and its server ------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the build like a static host: a missing path gets the language's 404 page, status 404,
    and connections stay open for the next request (HTTP/1.1), as every static host keeps them."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else a kept-open connection holds each response back ~40 ms

    def log_message(self, format, *args):  # quiet
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404 or self.command not in ("GET", "HEAD"):
            return super().send_error(code, message, explain)
        first = unquote(urlsplit(self.path).path).lstrip("/").split("/", 1)[0]
        page = Path(self.directory) / (f"{first}/404.html" if first in LANGUAGES else "404.html")
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


@dataclass
class Site:
    """A built output folder served on 127.0.0.1 at a free port (stop() when done)."""

    output: Path
    server: http.server.ThreadingHTTPServer = field(init=False)

    def __post_init__(self):
        handler = functools.partial(_Handler, directory=str(self.output))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.origin}/{quote(path)}"

    def file_url(self, path: str) -> str:
        return (self.output / path).as_uri()

    def path_of(self, url: str) -> str:
        """The output-relative path a URL of this site (or a file:// URL into it) names."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme == "file":
            return Path(path).relative_to(self.output).as_posix()
        return path.lstrip("/")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def same_item(path: str) -> str:
    """A page's path without its language prefix: the item key the switcher must keep."""
    first, _, rest = path.partition("/")
    return rest if first in LANGUAGES else path


# --- the page registry ------------------------------------------------------------------------------


def content_languages(kind: str = "articles") -> dict[str, set[str]]:
    """key -> the language codes that have it, from content/<kind>/<key>.<lang>.md."""
    items: dict[str, set[str]] = {}
    for path in (ROOT / "content" / kind).rglob("*.md"):
        key, code, _ = path.name.rsplit(".", 2)
        items.setdefault(key, set()).add(code)
    return items


def _first(pattern: str) -> Callable[[Path, str], str]:
    def find(output: Path, lang: str) -> str:
        found = sorted((output / lang).glob(pattern))
        assert found, f"the build has no {lang}/{pattern}"
        return found[0].relative_to(output).as_posix()

    return find


def _largest_article(output: Path, lang: str) -> str:
    """The longest article the language has: the worst case for weight and overflow."""
    keys = [key for key, codes in content_languages().items() if lang in codes]
    assert keys, f"no article in {lang}"
    paths = [output / lang / "articles" / key / "index.html" for key in keys]
    return max(paths, key=lambda p: (p.stat().st_size, p.as_posix())).relative_to(output).as_posix()


def untranslated_key(lang: str) -> str:
    missing = sorted(key for key, codes in content_languages().items() if lang not in codes)
    assert missing, f"the demo content must have an article missing in {lang}"
    return missing[0]


def _untranslated_paper(output: Path, lang: str) -> str:
    """A bloc's position paper the language lacks: press_pages' honest stand-in at the paper's address."""
    missing = sorted(key for key, codes in content_languages("blocs").items() if lang not in codes)
    assert missing, f"the demo content must have a bloc paper missing in {lang}"
    return f"{lang}/papers/{missing[0]}/index.html"


@dataclass(frozen=True)
class PageType:
    name: str
    find: Callable[[Path, str], str]  # (output folder, language code) -> output-relative path
    per_language: bool = True  # False: one language-neutral page at the root
    chrome: bool = True  # has the masthead: skip link, language switcher, sections navigation


PAGE_TYPES = [
    PageType("home", lambda output, lang: f"{lang}/index.html"),
    PageType("article", _largest_article),
    PageType("untranslated", lambda output, lang: f"{lang}/articles/{untranslated_key(lang)}/index.html"),
    PageType("page", _first("pages/*/index.html")),
    PageType("category", _first("categories/*/index.html")),
    PageType("tag", _first("tags/*/index.html")),
    PageType("author", _first("authors/*/index.html")),
    PageType("tags", lambda output, lang: f"{lang}/tags/index.html"),
    PageType("authors", lambda output, lang: f"{lang}/authors/index.html"),
    PageType("translation-status", lambda output, lang: f"{lang}/translation-status/index.html"),
    PageType("feeds", lambda output, lang: f"{lang}/feeds/index.html"),
    PageType("verify", lambda output, lang: f"{lang}/verify/index.html"),
    PageType("404", lambda output, lang: f"{lang}/404.html"),
    PageType("search", lambda output, lang: f"{lang}/search/index.html"),
    PageType("search-all", lambda output, lang: f"{lang}/search/all/index.html"),
    PageType("blocs-index", lambda output, lang: f"{lang}/blocs/index.html"),
    PageType("blocs-section", lambda output, lang: f"{lang}/blocs/labour-platform/index.html"),
    PageType("blocs-question", lambda output, lang: f"{lang}/questions/elections-2025/index.html"),
    PageType("blocs-matrix", lambda output, lang: f"{lang}/positions/index.html"),
    PageType("blocs-paper", lambda output, lang: f"{lang}/papers/gl-conditional-boycott/index.html"),
    PageType("blocs-outside", lambda output, lang: f"{lang}/outside/index.html"),
    PageType("blocs-papers", lambda output, lang: f"{lang}/papers/index.html"),
    PageType("blocs-outside-voice", lambda output, lang: f"{lang}/outside/generator-economics/index.html"),
    PageType("blocs-paper-untranslated", _untranslated_paper),
    PageType("congresses", lambda output, lang: f"{lang}/congresses/index.html"),
    PageType("congress", lambda output, lang: f"{lang}/congresses/3/index.html"),
    PageType("congress-motion", lambda output, lang: f"{lang}/congresses/3/motions/m1/index.html"),
    PageType("congress-resolution", lambda output, lang: f"{lang}/congresses/3/resolutions/r1/index.html"),
    PageType("finance", lambda output, lang: f"{lang}/finance/index.html"),
    PageType("finance-period", lambda output, lang: f"{lang}/finance/2024-q2/index.html"),  # has a USD line
    PageType("finance-party-tax", lambda output, lang: f"{lang}/finance/party-tax/index.html"),
    PageType("finance-declarations", _first("finance/declarations/ali-jabbar/index.html")),
    PageType("finance-declarations-index", lambda output, lang: f"{lang}/finance/declarations/index.html"),
    PageType("root", lambda output, lang: "index.html", per_language=False, chrome=False),
    PageType("root-404", lambda output, lang: "404.html", per_language=False, chrome=False),
]


@dataclass(frozen=True)
class PageInstance:
    type: PageType
    lang: str | None  # None for language-neutral pages

    @property
    def id(self) -> str:
        return f"{self.type.name}-{self.lang}" if self.lang else self.type.name

    def path(self, output: Path) -> str:
        path = self.type.find(output, self.lang)
        assert (output / path).is_file(), f"{self.id}: {path} was not built"
        return path


PAGE_INSTANCES = [
    PageInstance(page_type, code)
    for page_type in PAGE_TYPES
    for code in (CODES if page_type.per_language else [None])
]


def instances(*names: str) -> list:
    """pytest params for the page instances of these types (all types when none are named)."""
    chosen = [p for p in PAGE_INSTANCES if not names or p.type.name in names]
    return [pytest.param(p, id=p.id) for p in chosen]


# --- a browser tab that records what it loads -------------------------------------------------------


@dataclass(repr=False)
class Tab:
    """A fresh browser context and page, with every request, failure and console error recorded."""

    page: object
    site: Site
    requests: list = field(default_factory=list)  # (resource type, url)
    failed: list = field(default_factory=list)  # (url, error or HTTP status)
    errors: list = field(default_factory=list)  # (console error or uncaught exception, url)

    def __post_init__(self):
        self._listeners = {
            "request": lambda r: self.requests.append((r.resource_type, r.url)),
            "requestfailed": lambda r: self.failed.append((r.url, r.failure)),
            "response": lambda r: r.status >= 400 and self.failed.append((r.url, r.status)),
            "console": lambda m: m.type == "error" and self.errors.append((m.text, m.location["url"])),
            "pageerror": lambda e: self.errors.append((str(e), self.page.url)),
        }
        for event, listener in self._listeners.items():
            self.page.on(event, listener)

    def detach(self):
        """Stop recording, so the page can serve another test."""
        for event, listener in self._listeners.items():
            self.page.remove_listener(event, listener)

    def __repr__(self) -> str:
        return f"Tab({self.page.url})"

    def open(self, path: str, *, width: int = WIDTHS["wide"], media: str = "screen"):
        """Load an output-relative path from the local server and wait until fonts are ready."""
        self.page.set_viewport_size({"width": width, "height": 800})
        self.page.emulate_media(media=media)
        response = self.page.goto(self.site.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return response

    def current(self) -> str:
        return self.site.path_of(self.page.url)

    def html(self, attribute: str) -> str | None:
        return self.page.get_attribute("html", attribute)


# --- reports ----------------------------------------------------------------------------------------

REPORTS: dict[str, str] = {}  # title -> text, printed in pytest's terminal summary


def report(name: str, title: str, text: str, data=None) -> Path:
    """Write test-artifacts/<name>.txt (and .json) and keep the text for the terminal summary."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.txt"
    target.write_text(text + "\n", encoding="utf-8")
    if data is not None:
        (ARTIFACTS / f"{name}.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    REPORTS[title] = f"{text}\n(written to {target.relative_to(ROOT)})"
    return target
