"""Images and attachments of ``content/``: metadata stripped, responsive sizes, safe links.

Adds to the build (docs/SAFETY.md, "Images" and "Attachments"):

* every image file anywhere in ``content/`` (``.jpg``, ``.jpeg``, ``.png``, ``.webp``,
  ``.gif``) decoded with Pillow, turned upright (EXIF orientation), converted to sRGB,
  rebuilt from its pixels alone — so no EXIF (GPS, maker notes), XMP, IPTC or ICC
  profile survives — and written in the widths of ``IMAGE_WIDTHS`` (never wider than
  the original) as WebP plus a JPEG (PNG when it has transparency or was a PNG/GIF)
  fallback: ``media/photo.jpg`` → ``media/photo-480.webp``, ``media/photo-480.jpg`` …
  Encoding is deterministic (same file → same bytes) and cached by content hash in
  ``CACHE_PATH/images/``;
* every attachment (``ATTACHMENT_TYPES``: PDF, OpenDocument, Office, CSV, EPUB) copied
  as it is, to the same path; a PDF whose document information names an author or a
  creator gets a warning in ``invoke check`` so editors can clean it;
* relative references in article and page Markdown, written relative to the Markdown
  file (as Git hosts preview them): ``![alt](../media/photo.jpg)`` becomes a
  ``<picture>`` with ``srcset``/``sizes``, ``width`` and ``height``; a link to an
  attachment gets its type and size, ``(PDF · 1.2 MB)``; a link to another text's
  ``.md`` file becomes a link to its page; summaries drop images;
* ``image(path, alt)``, a global of every page template: the ``<picture>`` for a
  content image (``image('blocs/green-left/logo.png', bloc.name)``);
* ``graph.sections["media"]``: the :class:`Media` (pictures, attachments and
  :meth:`Media.rewrite` for section plugins that render Markdown of their own).

Problems (``path:line: … — fix``, the build stops): decompression bombs (more than
``IMAGE_MAX_PIXELS`` pixels), truncated or damaged files, a file whose content is
another format than its name says, SVG and other unsupported image types, references
that leave ``content/`` or name a missing or unpublished file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import json
import os
import posixpath
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from babel.units import format_unit
from markupsafe import Markup
from pelican import signals
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from press_content import CONTEXT_KEY
from press_core.pagecache import NOT_IN_PAGES
from press_core.paths import inside, is_relative_reference, relative_url, resolve_reference
from press_core.reading import register_section
from press_core.templating import add_template_global

SECTION = "media"
IMAGE_TYPES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
SAME_FORMAT = {"MPO": "JPEG"}  # multi-picture JPEGs from cameras are JPEGs
UNSUPPORTED_IMAGES = {".svg", ".svgz", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif", ".ico"}
ATTACHMENT_TYPES = {
    ".pdf": "PDF", ".odt": "ODT", ".ods": "ODS", ".odp": "ODP", ".docx": "DOCX", ".xlsx": "XLSX",
    ".pptx": "PPTX", ".csv": "CSV", ".epub": "EPUB",
}  # fmt: skip
DEFAULTS = {
    "IMAGE_WIDTHS": [480, 960, 1600],
    "IMAGE_SIZES": "(min-width: 44rem) 42rem, 100vw",  # the text column (press.css --measure)
    "IMAGE_MAX_PIXELS": 40_000_000,
}
WEBP_OPTIONS = {"quality": 80, "method": 6}
JPEG_OPTIONS = {"quality": 85, "optimize": True, "progressive": True}
PNG_OPTIONS = {"optimize": True}
FALLBACK_SUFFIX = {"JPEG": ".jpg", "PNG": ".png"}
_RECIPE = hashlib.sha256(
    Path(__file__).read_bytes() + Image.__version__.encode() + json.dumps(WEBP_OPTIONS).encode()
).hexdigest()[:16]
_SRGB = ImageCms.createProfile("sRGB")


class ImageError(Exception):
    def __init__(self, what: str, fix: str):
        super().__init__(what)
        self.what, self.fix = what, fix


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    webp: str  # output path
    fallback: str  # output path (.jpg or .png)


@dataclass
class Picture:
    source: str  # path relative to content/, e.g. "media/photo.jpg"
    path: Path = field(metadata=NOT_IN_PAGES)  # where the file is (``digest`` is what it is)
    digest: str
    size: tuple[int, int]  # the upright original's width and height
    fallback_format: str  # "JPEG" or "PNG"
    variants: list[Variant]  # narrowest first

    @property
    def largest(self) -> Variant:
        return self.variants[-1]


@dataclass
class Attachment:
    source: str  # path relative to content/; also its output path
    path: Path = field(metadata=NOT_IN_PAGES)
    size: int  # bytes
    kind: str  # "PDF", "ODT", …


@dataclass
class Media:
    # Pages see the pictures and attachments; the settings count for every page anyway, and
    # the paths say where this build reads (press_core.pagecache).
    content: Path = field(metadata=NOT_IN_PAGES)
    settings: dict = field(metadata=NOT_IN_PAGES)
    pictures: dict[str, Picture] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    # a text file (its real path) → its page's output path
    pages: dict[str, str] = field(default_factory=dict, metadata=NOT_IN_PAGES)

    # -- HTML ------------------------------------------------------------------------------------
    def picture_html(self, picture: Picture, alt: str, url, title: str | None = None, sizes=None) -> str:
        """``<picture>``: WebP sources and the fallback ``<img>``; ``url(output_path)`` → link."""
        sizes = sizes or self.settings["IMAGE_SIZES"]
        webp = ", ".join(f"{url(v.webp)} {v.width}w" for v in picture.variants)
        fallback = ", ".join(f"{url(v.fallback)} {v.width}w" for v in picture.variants)
        largest = picture.largest
        extra = f' title="{html.escape(title)}"' if title else ""
        return (
            f'<picture><source type="image/webp" srcset="{html.escape(webp)}" sizes="{html.escape(sizes)}">'
            f'<img src="{html.escape(url(largest.fallback))}" srcset="{html.escape(fallback)}" '
            f'sizes="{html.escape(sizes)}" width="{largest.width}" height="{largest.height}" '
            f'alt="{html.escape(alt)}"{extra} loading="lazy" decoding="async"></picture>'
        )

    def template_image(self):
        """The ``image(path, alt, sizes=None)`` template global (path relative to content/)."""
        from jinja2 import pass_context

        @pass_context
        def image(context, path: str, alt: str, sizes: str | None = None) -> Markup:
            picture = self.pictures.get(path)
            if picture is None:
                known = ", ".join(sorted(self.pictures)) or "none"
                raise LookupError(f"image({path!r}): no such image in content/ (images: {known})")
            root = context["root"]
            return Markup(self.picture_html(picture, alt, lambda p: root + quote(p), sizes=sizes))

        return image

    def attachment_note(self, attachment: Attachment, language) -> str:
        """``(PDF · 1.2 MB)`` in the language's digits and units."""
        size, unit = attachment.size / 1_000_000, "digital-megabyte"
        if size < 1:
            size, unit = attachment.size / 1000, "digital-kilobyte"
        locale = language.locale
        system = language.numbering_system if language.numbering_system in locale.number_symbols else "latn"
        text = format_unit(
            size, unit, length="short", format="#,##0.#", locale=locale, numbering_system=system
        )
        return (
            f' <span class="attachment">(<bdi>{attachment.kind}</bdi> · '
            f"<bdi>{html.escape(language.digits(text))}</bdi>)</span>"
        )

    # -- rewriting references ----------------------------------------------------------------------
    def rewrite(self, fragment: str, source: Path, page_path: str, language, report, listing=False) -> str:
        """Sanitised HTML written in ``source`` → HTML for the page at ``page_path``.

        ``report(url, what, fix)`` records a problem.  ``listing``: for summaries shown on
        other pages — images are dropped and links to site files keep only their text.
        """

        def url(path: str) -> str:
            return relative_url(page_path, path)

        def image(match: re.Match) -> str:
            attributes = dict(_ATTRIBUTE.findall(match.group()))
            src = html.unescape(attributes.get("src", ""))
            alt = html.unescape(attributes.get("alt", ""))
            if not src:  # the sanitiser removed a javascript:/data: address: nothing to show
                return ""
            if not is_relative_reference(src):
                return match.group()  # remote: reported by the reader (has_remote_resource)
            target, reason = resolve_reference(self.content, source, src)
            picture = self.pictures.get(self.key(target)) if target else None
            if picture is None:
                what = (
                    f"image {src!r} {reason}" if reason else f"{src!r} is not an image (jpg, png, webp, gif)"
                )
                report(src, what, "add the image to content/media/ and link it relative to this file")
                return ""
            if listing:
                return ""
            title = html.unescape(attributes["title"]) if "title" in attributes else None
            return self.picture_html(picture, alt, url, title)

        def link(match: re.Match) -> str:
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            href = html.unescape(attributes.get("href", ""))
            if not href or not is_relative_reference(href):
                return match.group()
            target, reason = resolve_reference(self.content, source, href)
            fragment_part = f"#{urlsplit(href).fragment}" if urlsplit(href).fragment else ""
            key = self.key(target) if target else None
            new, note = None, ""
            if key in self.attachments:
                new = url(key) + fragment_part
                note = self.attachment_note(self.attachments[key], language)
            elif key in self.pictures:
                new = url(self.pictures[key].largest.fallback)
            elif target is not None and str(target) in self.pages:
                new = url(self.pages[str(target)]) + fragment_part
            if new is None:
                what = self.link_problem(href, target, reason, page_path)
                if what is None:  # a page of the site, linked relative to this page: kept
                    return match.group() if not listing else match.group(2)
                kinds = ", ".join(sorted(ATTACHMENT_TYPES))
                fix = f"link a file inside content/ relative to this file: an image, an attachment ({kinds})"
                report(href, what, fix + " or another text's .md file")
                return match.group(2)
            if listing:
                return match.group(2)
            start = match.group().split(">", 1)[0] + ">"
            start = _HREF.sub(f'href="{html.escape(new)}"', start, count=1)
            return f"{start}{match.group(2)}</a>{note}"

        if "<img" in fragment:  # most texts have no image and many no link: no scan for them
            fragment = _IMG.sub(image, fragment)
        return _LINK.sub(link, fragment) if "<a" in fragment else fragment

    @staticmethod
    def link_problem(href: str, target: Path | None, reason: str, page_path: str) -> str | None:
        """What is wrong with a relative link that names no published file, or None for a link
        to another page of the site written relative to this page (``../other/index.html``)."""
        if target is not None:
            return f"link {href!r} names a file the site does not publish"
        if reason in UNSAFE_REFERENCES:
            return f"link {href!r} {reason}"
        path = unquote(urlsplit(href).path)
        if posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path)).startswith(".."):
            return f"link {href!r} points outside the site"
        if PurePosixPath(path).suffix.lower() in {*IMAGE_TYPES, *ATTACHMENT_TYPES, ".md"}:
            return f"link {href!r} {reason}"  # a file meant to be in content/ that is not
        return None

    def key(self, target: Path) -> str:
        return target.relative_to(os.path.realpath(self.content)).as_posix()


UNSAFE_REFERENCES = ("contains a NUL character", "contains a backslash", "is an absolute path")
_IMG = re.compile(r"<img\b(?:[^>\"]|\"[^\"]*\")*>")
_LINK = re.compile(r"<a\b((?:[^>\"]|\"[^\"]*\")*)>(.*?)</a>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_HREF = re.compile(r'\bhref="[^"]*"')


# -- reading: check every file, plan the outputs ---------------------------------------------------


def _settings(settings) -> dict:
    chosen = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    chosen["IMAGE_WIDTHS"] = sorted({int(width) for width in chosen["IMAGE_WIDTHS"]})
    return chosen


def _cache_folder(settings, digest: str) -> Path | None:
    cache = settings.get("CACHE_PATH")
    return Path(cache) / "images" / f"{digest}-{_RECIPE}" if cache else None


def _widths(width: int, wanted: list[int]) -> list[int]:
    """The configured widths narrower than the image, then the image's own (capped at the widest)."""
    chosen = [w for w in wanted if w < width]
    top = min(width, wanted[-1]) if wanted else width
    return [*chosen, top] if top not in chosen else chosen


def open_checked(path: Path, expected: str, max_pixels: int) -> Image.Image:
    """The decoded, upright image, or :class:`ImageError` saying what is wrong and how to fix it."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageError(
                f"image is too large to decode safely ({exc.args[0].split(' exceeds')[0].lower()}, "
                f"a decompression bomb?)",
                f"scale it down below {max_pixels:,} pixels (IMAGE_MAX_PIXELS) and add it again",
            ) from None
        except UnidentifiedImageError:
            raise ImageError(
                "is not an image Pillow can read (damaged, or not really a JPEG/PNG/WebP/GIF)",
                "export it again as JPEG or PNG",
            ) from None
        with image:
            found = SAME_FORMAT.get(image.format, image.format)
            if found != expected:
                right = next((s for s, f in IMAGE_TYPES.items() if f == found), None)
                raise ImageError(
                    f"the file is a {found} image, but its name says {expected}",
                    f"rename it to {path.stem}{right}" if right else "export it again as JPEG or PNG",
                )
            try:
                image.load()
                upright = ImageOps.exif_transpose(image)
            except (OSError, SyntaxError, ValueError) as exc:
                raise ImageError(
                    f"image is damaged or truncated ({exc})", "export it again and add the complete file"
                ) from None
            return upright


def _clean_pixels(image: Image.Image) -> Image.Image:
    """sRGB pixels in a new image: nothing of the file's metadata comes along."""
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = image if image.mode in ("RGB", "RGBA", "CMYK", "L") else image.convert(mode)
            image = ImageCms.profileToProfile(
                source, ImageCms.ImageCmsProfile(io.BytesIO(profile)), _SRGB, outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: keep the pixels as they are
    image = image.convert(mode)
    return Image.frombytes(mode, image.size, image.tobytes())


def encode(picture: Picture, max_pixels: int) -> dict[str, bytes]:
    """Output path → bytes of every variant (deterministic)."""
    expected = IMAGE_TYPES[picture.path.suffix.lower()]
    pixels = _clean_pixels(open_checked(picture.path, expected, max_pixels))
    files = {}
    for variant in picture.variants:
        sized = pixels
        if (variant.width, variant.height) != pixels.size:
            sized = pixels.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        sized.save(buffer, "WEBP", **WEBP_OPTIONS)
        files[variant.webp] = buffer.getvalue()
        buffer = io.BytesIO()
        options = JPEG_OPTIONS if picture.fallback_format == "JPEG" else PNG_OPTIONS
        sized.save(buffer, picture.fallback_format, **options)
        files[variant.fallback] = buffer.getvalue()
    return files


def _plan(source: str, path: Path, digest: str, size: tuple[int, int], alpha_or_graphic: bool, widths):
    width, height = size
    fallback = "PNG" if alpha_or_graphic else "JPEG"
    stem = source.rsplit(".", 1)[0]
    variants = []
    for w in _widths(width, widths):
        h = max(1, round(height * w / width))
        variants.append(Variant(w, h, f"{stem}-{w}.webp", f"{stem}-{w}{FALLBACK_SUFFIX[fallback]}"))
    return Picture(source, path, digest, (width, height), fallback, variants)


def read_picture(path: Path, source: str, settings: dict, cache_settings) -> Picture:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = _cache_folder(cache_settings, digest)
    if cached is not None and (cached / "plan.json").exists():
        plan = json.loads((cached / "plan.json").read_text())
        return _plan(source, path, digest, tuple(plan["size"]), plan["png"], settings["IMAGE_WIDTHS"])
    expected = IMAGE_TYPES[path.suffix.lower()]
    with open_checked(path, expected, settings["IMAGE_MAX_PIXELS"]) as image:
        graphic = expected in ("PNG", "GIF") or image.mode in ("RGBA", "LA", "PA", "P")
        picture = _plan(source, path, digest, image.size, graphic, settings["IMAGE_WIDTHS"])
    return picture


def pdf_metadata(path: Path) -> list[str]:
    """Names in a PDF's document information that say who made it (Author, Creator …)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        info = PdfReader(path).metadata or {}
    except (PyPdfError, OSError, ValueError, KeyError):
        return ["(unreadable document information)"]
    found = []
    for name in ("/Author", "/Creator", "/Company", "/LastModifiedBy"):
        value = info.get(name)
        if value and str(value).strip():
            found.append(f"{name[1:]}: {str(value).strip()}")
    return found


def scan(reader) -> Media:
    """Every image and attachment under content/, checked; problems go to ``reader.problems``."""
    settings = _settings(reader.settings)
    content = reader.content
    root = Path(os.path.realpath(content))
    media = Media(content, settings)
    reserved = {*reader.languages, "theme", "server"}
    outputs: dict[str, str] = {}  # output path → the source that writes it
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith(".") and not (Path(folder) / n).is_symlink())
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()  # no Path for each of 30,000 texts
            if name.startswith(".") or not (suffix in IMAGE_TYPES or suffix in ATTACHMENT_TYPES
                                            or suffix in UNSUPPORTED_IMAGES):  # fmt: skip
                continue
            path = Path(folder) / name
            if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(root):
                continue  # reported by press_core.paths.check_tree; never read
            source = path.relative_to(root).as_posix()
            if source.split("/", 1)[0] in reserved:
                reader.problems.add(
                    path, 1, f"would be published inside the site's own {source.split('/')[0]}/ folder",
                    "move it to content/media/",
                )  # fmt: skip
                continue
            if suffix in UNSUPPORTED_IMAGES:
                what = (
                    "SVG images can carry scripts"
                    if suffix.startswith(".svg")
                    else f"{suffix} images are not supported"
                )
                reader.problems.add(path, 1, what, "export it as PNG (drawings) or JPEG (photos)")
                continue
            if suffix in ATTACHMENT_TYPES:
                attachment = Attachment(source, path, path.stat().st_size, ATTACHMENT_TYPES[suffix])
                media.attachments[source] = attachment
                planned = [source]
                if suffix == ".pdf":
                    found = pdf_metadata(path)
                    if found:
                        reader.problems.warn(
                            path, 1, f"the PDF's document information names its makers ({'; '.join(found)})",
                            "remove it before publishing, e.g. `exiftool -all:all= -overwrite_original FILE` "
                            "or your PDF tool's document properties",
                        )  # fmt: skip
            else:
                try:
                    picture = read_picture(path, source, settings, reader.settings)
                except ImageError as problem:
                    reader.problems.add(path, 1, problem.what, problem.fix)
                    continue
                media.pictures[source] = picture
                planned = [name for v in picture.variants for name in (v.webp, v.fallback)]
            for output in planned:
                if output in outputs:
                    reader.problems.add(
                        path, 1, f"writes {output}, as {outputs[output]} does", "rename one of the two files"
                    )
                outputs[output] = source
    return media


def _line_finder(path: Path):
    """``line_of(needle)`` for ``path``; the file is read only when a problem is reported
    (most texts have none, and a large site has tens of thousands of them)."""

    def line_of(needle: str) -> int:
        """The first line holding ``needle``, else the body's first line.  Markdown turns tabs
        into spaces and drops escaping backslashes, the sanitiser turns NUL into U+FFFD:
        compare words without backslashes."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        # where the Markdown body starts: the line after the front matter's closing ---
        fences = [number for number, line in enumerate(lines, start=1) if line.strip() == "---"][:2]
        body = fences[1] + 1 if len(fences) == 2 and fences[0] == 1 else 1
        words = " ".join(needle.replace("\ufffd", "\0").replace("\\", "").split())
        for number, line in enumerate(lines, start=1):
            if needle and (needle in line or (words and words in " ".join(line.replace("\\", "").split()))):
                return number
        return body

    return line_of


def read_media(reader, graph) -> Media:
    """The section reader: scan the files, then rewrite the references of every text."""
    media = scan(reader)
    base = reader.problems.base
    for item in graph.items:
        for version in item.versions.values():
            source = os.path.join(base, version.source)
            folder, name = os.path.split(source)
            resolved = reader.problems.resolved_folder(folder)  # once per folder, not per text
            real = os.path.realpath(source) if os.path.islink(source) else os.path.join(resolved, name)
            media.pages[real] = version.path
    for item in graph.items:
        for version in item.versions.values():
            source = base / version.source
            line_of = _line_finder(source)

            def report(needle, what, fix, source=source, line_of=line_of):
                reader.problems.add(source, line_of(needle), what, fix)

            language = reader.languages[version.lang]
            version.body = media.rewrite(version.body, source, version.path, language, report)
            version.summary = media.rewrite(version.summary, source, version.path, language, report, True)
            version.corrections = [
                dataclasses.replace(c, note=media.rewrite(c.note, source, version.path, language, report))
                for c in version.corrections
            ]
    return media


# -- the build: write the files ------------------------------------------------------------------


class MediaGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path

    @property
    def media(self) -> Media | None:
        return self.context[CONTEXT_KEY].sections.get(SECTION)

    def generate_context(self):
        if self.media is not None:
            add_template_global(self.context, "image", self.media.template_image())

    def generate_output(self, writer):
        media = self.media
        if media is None:
            return
        for attachment in media.attachments.values():
            target = inside(self.output_path, attachment.source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(attachment.path, target)
        for picture in media.pictures.values():
            for output, data in self.picture_files(picture, media.settings).items():
                target = inside(self.output_path, output)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)

    def picture_files(self, picture: Picture, settings: dict) -> dict[str, bytes]:
        """The variants' bytes, from the cache when this file was encoded before."""
        cached = _cache_folder(self.settings, picture.digest)
        names = {v.width: v for v in picture.variants}  # one WebP and one fallback per width
        if cached is not None and (cached / "plan.json").exists():
            files = {}
            for variant in names.values():
                for output in (variant.webp, variant.fallback):
                    stored = cached / f"{variant.width}{Path(output).suffix}"
                    if not stored.exists():
                        break
                    files[output] = stored.read_bytes()
            if len(files) == 2 * len(names):
                return files
        files = encode(picture, settings["IMAGE_MAX_PIXELS"])
        if cached is not None:
            cached.mkdir(parents=True, exist_ok=True)
            for output, data in files.items():
                width = next(v.width for v in picture.variants if output in (v.webp, v.fallback))
                (cached / f"{width}{Path(output).suffix}").write_bytes(data)
            # what reading needs, so a cached build decodes nothing (written last: the entry is complete)
            plan = {"size": list(picture.size), "png": picture.fallback_format == "PNG"}
            (cached / "plan.json").write_text(json.dumps(plan))
        return files


def get_generators(pelican):
    return MediaGenerator


def register():
    register_section(__name__, SECTION, read_media)
    signals.get_generators.connect(get_generators)
