"""Fingerprinted theme assets: ``css/press.css`` is published as ``theme/css/press.3f2a91c0.css``.

A file whose name changes whenever its content does can be cached by browsers and
proxies for ever (``Cache-Control: immutable``): a new version is a new address.

* :class:`Manifest` maps every fingerprintable file of the theme's static folders
  (``THEME_STATIC_PATHS`` inside ``THEME``; CSS, JS, fonts, images) to its published
  name: the stem, the first 8 hex digits of the SHA-256 of the published bytes, the
  extension.  ``url(...)`` references inside CSS are rewritten first (``fonts.css``
  names the fonts' fingerprinted files), so a font change changes the CSS's name too.
* ``asset('css/press.css')``, a global of every theme Jinja environment
  (:mod:`press_core.templating`), returns the page-relative URL (``root`` +
  ``theme/css/press.3f2a91c0.css``), so pages still work under any subpath and from disk.
* :func:`fingerprint` runs after Pelican (``press_core.build``): it replaces the copies
  Pelican made in ``output/theme/`` with the fingerprinted files.  Other files of the
  theme (the font licence, its README) keep their names.

Written by hand because no library does this for a Pelican theme rendered by our own
Jinja environments (webassets bundles and minifies, Django's manifest storage needs
Django); the ``url()`` pattern is the same one Django's ``ManifestStaticFilesStorage`` uses.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import pass_context

FINGERPRINTED = {".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf", ".svg", ".png", ".jpg",
                 ".jpeg", ".gif", ".webp", ".avif", ".ico"}  # fmt: skip
HASH_LENGTH = 8
SETTINGS_KEY = "PRESS_ASSET_MANIFEST"  # the build's manifest, kept in its settings
_CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<url>[^'")\s]+)(?P=quote)\s*\)""")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#)", re.I)  # data:, https:, //host, /abs, #id


class AssetError(LookupError):
    pass


@dataclass(frozen=True)
class Asset:
    name: str  # logical name under the static folders, e.g. "css/press.css"
    published: str  # e.g. "css/press.3f2a91c0.css"
    data: bytes  # the published bytes (CSS with its url()s rewritten)


class Manifest:
    """The theme's fingerprinted files, keyed by logical name (POSIX, relative to ``static/``)."""

    def __init__(self, sources: dict[str, Path], prefix: str = "theme"):
        self.prefix = prefix.strip("/")  # THEME_STATIC_DIR: where Pelican copies the static folders
        self.sources = sources  # every static file (fingerprinted or not): logical name -> path
        self.assets: dict[str, Asset] = {}
        for name in sorted(sources):
            if Path(name).suffix.lower() in FINGERPRINTED:
                self._resolve(name, ())

    @classmethod
    def of_theme(cls, settings) -> Manifest:
        theme = Path(settings["THEME"])
        sources: dict[str, Path] = {}
        for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
            base = theme / folder
            files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
            for path in files:  # a later folder overrides an earlier one, as Pelican copies them
                name = path.name if path == base else path.relative_to(base).as_posix()
                sources[name] = path
        return cls(sources, settings.get("THEME_STATIC_DIR", "theme"))

    def _resolve(self, name: str, seen: tuple[str, ...]) -> Asset:
        if name in self.assets:
            return self.assets[name]
        if name in seen:
            raise AssetError(f"theme CSS imports itself: {' -> '.join((*seen, name))}")
        data = self.sources[name].read_bytes()
        if name.endswith(".css"):
            data = self._rewrite_css(name, data, (*seen, name))
        stem, extension = posixpath.splitext(name)
        digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
        found = self.assets[name] = Asset(name, f"{stem}.{digest}{extension}", data)
        return found

    def _rewrite_css(self, name: str, data: bytes, seen: tuple[str, ...]) -> bytes:
        folder = posixpath.dirname(name)

        def replace(match: re.Match) -> str:
            url = match["url"]
            if _EXTERNAL.match(url):
                return match.group()
            path = re.split(r"[?#]", url, maxsplit=1)[0]  # keep a ?query or #fragment (SVG ids)
            target = posixpath.normpath(posixpath.join(folder, path))
            if target not in self.sources or Path(target).suffix.lower() not in FINGERPRINTED:
                return match.group()
            published = self._resolve(target, seen).published
            relative = posixpath.relpath(published, folder or ".")
            quote = match["quote"]
            return f"url({quote}{relative}{url[len(path) :]}{quote})"

        return _CSS_URL.sub(replace, data.decode("utf-8")).encode("utf-8")

    def path(self, name: str) -> str:
        """The output-relative path of an asset, e.g. ``theme/css/press.3f2a91c0.css``."""
        found = self.assets.get(name)
        if found is None:
            known = ", ".join(sorted(self.assets))
            raise AssetError(f"asset({name!r}): no such file in the theme's static folders (known: {known})")
        return f"{self.prefix}/{found.published}" if self.prefix else found.published


def manifest_of(settings) -> Manifest:
    """The build's manifest (computed once per build, kept in its settings)."""
    manifest = settings.get(SETTINGS_KEY)
    if manifest is None:
        manifest = settings[SETTINGS_KEY] = Manifest.of_theme(settings)
    return manifest


@pass_context
def asset(context, name: str) -> str:
    """Jinja global: ``{{ asset('css/press.css') }}`` -> ``../../theme/css/press.3f2a91c0.css``."""
    return context["root"] + manifest_of(context["settings"]).path(name)


def fingerprint(output: str | Path, manifest: Manifest) -> list[str]:
    """Replace Pelican's copies of the theme's assets in ``output`` with the fingerprinted
    files; returns the published paths."""
    output = Path(output)
    written = []
    for asset_ in manifest.assets.values():
        plain = output / manifest.prefix / asset_.name
        plain.unlink(missing_ok=True)
        target = output / manifest.prefix / asset_.published
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset_.data)
        written.append(target.relative_to(output).as_posix())
    return written
