"""Images lose every piece of metadata and come in responsive sizes; bad image files stop the build.

Also attachments: copied as they are, listed with type and size where linked, PDF metadata
reported by `invoke check` as a warning.  Test images are generated here (Pillow writes EXIF with
GPS, XMP, ICC profiles and PNG text chunks), so no binary fixture is committed.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import parse, resolve, run_build
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin
from safety_support import quick_settings

SECRET = "Secret Photographer"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
    f"{SECRET}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
METADATA_KEYS = {
    "exif",
    "xmp",
    "XML:com.adobe.xmp",
    "icc_profile",
    "comment",
    "Author",
    "Comment",
    "photoshop",
}
METADATA_GROUPS = ("EXIF", "XMP", "IPTC", "ICC_Profile", "GPS", "MakerNotes", "Photoshop", "Composite:GPS")


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x013B] = SECRET  # Artist
    exif[0x0112] = 1  # Orientation
    exif[0x8825] = {1: "N", 2: (36.0, 11.0, 26.0), 3: "E", 4: (44.0, 0.0, 33.0)}  # GPS: Erbil
    return exif


def icc_profile() -> bytes:
    profile = ImageCms.createProfile("sRGB")
    return ImageCms.ImageCmsProfile(profile).tobytes()


def drawing(size, mode="RGB") -> Image.Image:
    image = Image.new(mode, size, (200, 220, 240, 255) if mode == "RGBA" else (200, 220, 240))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((width // 10, height // 2, width - width // 10, height - height // 10), fill=(80, 110, 50))
    draw.ellipse(
        (width // 2, height // 10, width // 2 + height // 4, height // 10 + height // 4), fill=(240, 190, 40)
    )
    return image


def write_photo(path: Path) -> None:
    drawing((1200, 800)).save(path, "JPEG", exif=gps_exif(), xmp=XMP, icc_profile=icc_profile(), quality=90)


def write_png(path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    drawing((300, 200), "RGBA").save(path, "PNG", pnginfo=info, exif=gps_exif(), icc_profile=icc_profile())


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG that claims ``width`` × ``height`` pixels (the decompression-bomb shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")
    )


def pdf(author: str | None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if author:
        writer.add_metadata({"/Author": author, "/Creator": "Party Office Writer"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ARTICLE_TAIL = """
![The river at dawn](../media/river.jpg "Tigris")

![A drawing with transparency](../media/sign.png)

The [full report](../media/report.pdf) is published with the article.
"""


@pytest.fixture(scope="module")
def image_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    content = folder / "content"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", content)
    (content / "media").mkdir()
    write_photo(content / "media" / "river.jpg")
    write_png(content / "media" / "sign.png")
    (content / "media" / "report.pdf").write_bytes(pdf(author="Sara Aziz"))
    with open(content / "articles" / "water-report.en.md", "a", encoding="utf-8") as handle:
        handle.write(ARTICLE_TAIL)
    settings = quick_settings(folder, CACHE_PATH=str(folder / "cache"))
    result = run_build("--settings", settings, "--content", content, "--output", folder / "output")
    assert result.returncode == 0, result.stderr
    return folder


def test_sources_really_carry_metadata(image_site):
    """The test is only worth something if the inputs have what must be removed."""
    with Image.open(image_site / "content" / "media" / "river.jpg") as photo:
        assert photo.getexif().get_ifd(0x8825) and "xmp" in photo.info and "icc_profile" in photo.info
    with Image.open(image_site / "content" / "media" / "sign.png") as sign:
        assert sign.info.get("Author") == SECRET and "icc_profile" in sign.info


def output_images(output: Path) -> list[Path]:
    return sorted(p for p in (output / "media").iterdir() if p.suffix in (".jpg", ".png", ".webp"))


def test_every_size_is_written_and_originals_are_not(image_site):
    names = {p.name for p in output_images(image_site / "output")}
    assert names == {
        "river-480.webp", "river-480.jpg", "river-960.webp", "river-960.jpg", "river-1200.webp",
        "river-1200.jpg", "sign-300.webp", "sign-300.png",
    }  # fmt: skip
    assert not (image_site / "output" / "media" / "river.jpg").exists()


def test_no_output_image_carries_metadata_per_pillow(image_site):
    for path in output_images(image_site / "output"):
        with Image.open(path) as image:
            assert not METADATA_KEYS & set(image.info), (path.name, sorted(image.info))
            assert not dict(image.getexif()), path.name
        assert SECRET.encode() not in path.read_bytes() and b"SecretCam" not in path.read_bytes()


def test_no_output_image_carries_metadata_per_exiftool(image_site):
    exiftool = shutil.which("exiftool")
    assert exiftool, "install exiftool: apt-get install libimage-exiftool-perl (dev.py does)"
    source = image_site / "content" / "media" / "river.jpg"
    paths = [source, *output_images(image_site / "output")]
    result = subprocess.run([exiftool, "-j", "-G", "-a", *map(str, paths)], capture_output=True, text=True)
    records = {Path(r["SourceFile"]).name: r for r in json.loads(result.stdout)}
    assert any(key.startswith("EXIF:GPS") for key in records["river.jpg"]), "exiftool sees the source GPS"
    for name, record in records.items():
        if name == "river.jpg":
            continue
        carried = [key for key in record if key.startswith(METADATA_GROUPS)]
        assert not carried, (name, carried)
        assert SECRET not in json.dumps(record), name


def test_picture_srcset_and_dimensions(image_site):
    output = image_site / "output"
    page_path = output / "en" / "articles" / "water-report" / "index.html"
    page = parse(page_path)
    pictures = page.xpath("//div[@class='body']//picture")
    assert len(pictures) == 2
    for picture, widths in zip(pictures, ([480, 960, 1200], [300]), strict=True):
        source = picture.xpath(".//source")[0]  # libxml2 does not know <source> is empty
        image = picture.xpath(".//img")[0]
        assert source.get("type") == "image/webp"
        for srcset, suffix in ((source.get("srcset"), ".webp"), (image.get("srcset"), None)):
            entries = [entry.strip().rsplit(" ", 1) for entry in srcset.split(",")]
            assert [int(w[:-1]) for _, w in entries] == widths
            for url, descriptor in entries:
                assert not url.startswith(("/", "http")), url
                target = resolve(page_path, url)
                assert suffix is None or target.suffix == suffix
                with Image.open(target) as written:
                    assert written.width == int(descriptor[:-1])
        largest = resolve(page_path, image.get("src"))
        with Image.open(largest) as written:
            assert (int(image.get("width")), int(image.get("height"))) == written.size
        assert image.get("sizes") and image.get("loading") == "lazy"
    photo = pictures[0].xpath(".//img")[0]
    assert photo.get("alt") == "The river at dawn" and photo.get("title") == "Tigris"
    assert (photo.get("width"), photo.get("height")) == ("1200", "800")


def test_images_are_deterministic_and_the_cache_changes_nothing(image_site, tmp_path):
    """A second build (from the cache) and a third (no cache) give the same bytes."""
    settings = quick_settings(tmp_path)
    fresh = tmp_path / "fresh"
    result = run_build("--settings", settings, "--content", image_site / "content", "--output", fresh)
    assert result.returncode == 0, result.stderr
    for path in output_images(image_site / "output"):
        assert (fresh / "media" / path.name).read_bytes() == path.read_bytes(), path.name


def test_summaries_in_listings_show_no_images(image_site):
    home = parse(image_site / "output" / "en" / "index.html")
    assert not home.xpath("//ol[@class='summaries']//img")


def test_attachment_is_copied_as_is_and_listed_with_type_and_size(image_site):
    copied = image_site / "output" / "media" / "report.pdf"
    assert copied.read_bytes() == (image_site / "content" / "media" / "report.pdf").read_bytes()
    page = parse(image_site / "output" / "en" / "articles" / "water-report" / "index.html")
    link = page.xpath("//a[text()='full report']")[0]
    assert link.get("href") == "../../../media/report.pdf"
    note = link.getnext()
    assert note.get("class") == "attachment"
    size = copied.stat().st_size
    assert note.text_content() == f"(PDF · {size / 1000:.1f} kB)".replace(".0 kB", " kB"), note.text_content()


def test_check_warns_about_pdf_metadata_without_failing(image_site, tmp_path):
    (image_site / "content" / "media" / "clean.pdf").write_bytes(pdf(author=None))
    try:
        result = run_build(
            "--settings", quick_settings(tmp_path), "--check", "--content", image_site / "content"
        )
    finally:
        (image_site / "content" / "media" / "clean.pdf").unlink()
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert "content/media/report.pdf:1: the PDF's document information names its makers" in warnings[0]
    assert "Author: Sara Aziz" in warnings[0] and " — remove it before publishing" in warnings[0]


BAD_IMAGES = {
    "bomb.png": (
        lambda: bomb_png(30000, 30000),
        "content/media/bomb.png:1: image is too large to decode safely (image size (900000000 pixels)",
    ),
    "big.png": (
        lambda: bomb_png(7000, 6000),
        "content/media/big.png:1: image is too large to decode safely (image size (42000000 pixels)",
    ),
    "truncated.jpg": (
        lambda: _jpeg_bytes()[:2000],
        "content/media/truncated.jpg:1: image is damaged or truncated",
    ),
    "mislabelled.jpg": (
        lambda: _png_bytes(),
        "content/media/mislabelled.jpg:1: the file is a PNG image, but its name says JPEG"
        " — rename it to mislabelled.png",
    ),
    "text.png": (
        lambda: b"not an image at all\n",
        "content/media/text.png:1: is not an image Pillow can read",
    ),
    "drawing.svg": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "content/media/drawing.svg:1: SVG images can carry scripts — export it as PNG",
    ),
}


def _jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    drawing((800, 600)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    drawing((40, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_bad_images_stop_the_build_with_file_and_reason(minimal_content, tmp_path):
    (minimal_content / "media").mkdir()
    for name, (make, _) in BAD_IMAGES.items():
        (minimal_content / "media" / name).write_bytes(make())
    result = run_build(
        "--settings", quick_settings(tmp_path), "--content", minimal_content, "--output", tmp_path / "out"
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name, (_, message) in BAD_IMAGES.items():
        assert message in result.stderr, (name, result.stderr)
    assert not (tmp_path / "out").exists()


def test_missing_and_remote_images_are_refused(minimal_content, tmp_path):
    path = minimal_content / "articles" / "water-report.en.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n![gone](../media/missing.jpg)\n\n![far](https://example.org/x.jpg)\n",
        encoding="utf-8",
    )
    result = run_build("--settings", quick_settings(tmp_path), "--check", "--content", minimal_content)
    assert result.returncode == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = lines.index("![gone](../media/missing.jpg)") + 1
    remote = lines.index("![far](https://example.org/x.jpg)") + 1
    where = "content/articles/water-report.en.md"
    assert f"{where}:{missing}: image '../media/missing.jpg' is not a file in content/" in result.stderr
    assert f"{where}:{remote}: an image is loaded from another host — add the image file" in result.stderr


def test_feeds_link_every_image_size_absolutely(image_site):
    """Feed readers resolve nothing against the page: src and both srcsets are absolute."""
    feed = (image_site / "output" / "en" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    feed = feed.replace("&quot;", '"')
    site = "http://localhost:8000/media"
    for fragment in (
        f'srcset="{site}/river-480.webp 480w, {site}/river-960.webp 960w',
        f'src="{site}/river-1200.jpg" srcset="{site}/river-480.jpg 480w',
    ):
        assert fragment in feed, fragment


def test_image_template_global_renders_a_picture_relative_to_the_page(tmp_path):
    """``{{ image('media/x.png', alt) }}``: the <picture> for any content image, from any page depth."""
    from jinja2 import Environment

    from press_images import Media, Picture, Variant

    variant = Variant(300, 200, "blocs/green-left/logo-300.webp", "blocs/green-left/logo-300.png")
    media = Media(tmp_path, {"IMAGE_SIZES": "10rem"})
    media.pictures["blocs/green-left/logo.png"] = Picture(
        "blocs/green-left/logo.png", tmp_path / "logo.png", "0", (300, 200), "PNG", [variant]
    )
    env = Environment(autoescape=True)
    env.globals["image"] = media.template_image()
    template = env.from_string("{{ image('blocs/green-left/logo.png', name) }}")
    html = template.render(root="../../", name="Green <Left>")
    assert html.startswith(
        '<picture><source type="image/webp" srcset="../../blocs/green-left/logo-300.webp 300w"'
    )
    assert 'src="../../blocs/green-left/logo-300.png"' in html and 'alt="Green &lt;Left&gt;"' in html
    with pytest.raises(LookupError, match="no such image"):
        env.from_string("{{ image('media/missing.png', 'x') }}").render(root="")
