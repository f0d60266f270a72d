"""No key, slug, file name or linked path can write or link outside output/: each escape is refused."""

from __future__ import annotations

import os

import pytest
from conftest import parse, run_build
from safety_support import quick_settings

from press_core.paths import UnsafePathError, inside, resolve_reference, unsafe_name, unsafe_relative_path
from press_core.site import Page, Site, write_file

ARTICLE = "articles/water-report.en.md"


def append(content, relative, text):
    path = content / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path.read_text(encoding="utf-8").splitlines().index(text.strip()) + 1


def link(target):
    return lambda content: (ARTICLE, append(content, ARTICLE, f"\n[the file]({target})\n"))


def image(target):
    return lambda content: (ARTICLE, append(content, ARTICLE, f"\n![a picture]({target})\n"))


def new_file(relative, data=b"%PDF-1.4\n"):
    def make(content):
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return relative, 1

    return make


def symlink(relative, target):
    def make(content):
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target(content), path)
        return relative, 1

    return make


def rename_article(new_name):
    def make(content):
        os.rename(content / ARTICLE, content / "articles" / new_name)
        return f"articles/{new_name}", 1

    return make


def category_key(key):
    def make(content):
        with open(content / "categories.yml", "a", encoding="utf-8") as handle:
            handle.write(f"\n{key}:\n  en: Reserved\n")
        lines = (content / "categories.yml").read_text(encoding="utf-8").splitlines()
        return "categories.yml", lines.index(f"{key}:") + 1

    return make


# case -> (make the mistake: content -> (file, line), what the message says)
CASES = {
    "link climbing out of the site": (link("../../../../etc/passwd"), "/etc/passwd' points outside the site"),
    "image climbing out of content/": (image("../../outside.png"), "image '../../outside.png' points"),
    "absolute path": (link("/etc/passwd"), "link '/etc/passwd' is an absolute path"),
    "backslashes": (link("..\\..\\secret.pdf"), "contains a backslash"),
    "NUL in a link": (link("report%00.pdf"), "link 'report%00.pdf' contains a NUL character"),
    "link to a missing file": (link("../media/gone.pdf"), "'../media/gone.pdf' is not a file in content/"),
    "link to an unpublished file": (link("../people.yml"), "'../people.yml' names a file the site does not"),
    "symlink to a file outside": (
        symlink("media/passwd.pdf", lambda content: "/etc/passwd"),
        "is a link to /etc/passwd, outside content/ — copy the file into content/",
    ),
    "symlink to a folder outside": (
        symlink("media/etc", lambda content: "/etc"),
        "is a link to /etc, outside content/",
    ),
    "Windows device name": (new_file("media/con.pdf"), "name 'con.pdf' 'con.pdf' is a reserved device"),
    "Windows device name, image": (new_file("media/aux.png"), "'aux.png' is a reserved device name"),
    "colon in a file name": (new_file("media/a:b.pdf"), "the name 'a:b.pdf' contains ':', which is not"),
    "trailing dot": (new_file("media/report.pdf."), "ends with a dot or a space"),
    "control character": (new_file("media/re\tport.pdf"), "contains U+0009"),
    "device name as a key": (rename_article("con.en.md"), "key 'con' in the file name is not valid"),
    "device name as a category key": (category_key("nul"), "key 'nul' is not a valid key"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_path_escape_is_refused(case, minimal_content, tmp_path):
    make, message = CASES[case]
    relative, line = make(minimal_content)
    result = run_build(
        "--settings", quick_settings(tmp_path), "--content", minimal_content, "--output", tmp_path / "out"
    )
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    expected = f"content/{relative}:{line}: "
    lines = [text for text in result.stderr.splitlines() if text.startswith(expected)]
    assert any(message in text for text in lines), f"{expected}…{message}\n{result.stderr}"
    assert not (tmp_path / "out").exists()


def test_symlink_inside_content_is_fine(minimal_content, tmp_path):
    (minimal_content / "media").mkdir()
    (minimal_content / "media" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    os.symlink("report.pdf", minimal_content / "media" / "latest.pdf")
    append(minimal_content, ARTICLE, "\n[latest](../media/latest.pdf)\n")
    result = run_build(
        "--settings", quick_settings(tmp_path), "--content", minimal_content, "--output", tmp_path / "out"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "media" / "latest.pdf").read_bytes() == b"%PDF-1.4\n"


def test_tag_with_a_device_name_gets_a_safe_slug(minimal_content, tmp_path):
    path = minimal_content / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [water, Tigris]", "tags: [CON, water]"))
    out = tmp_path / "out"
    result = run_build("--settings", quick_settings(tmp_path), "--content", minimal_content, "--output", out)
    assert result.returncode == 0, result.stderr
    assert (out / "en" / "tags" / "con-tag" / "index.html").is_file()
    assert parse(out / "en" / "tags" / "con-tag" / "index.html").xpath("//h1//bdi")[0].text == "CON"


@pytest.mark.parametrize(
    "relative",
    ["../escape.html", "/etc/passwd", "a/../../escape", "con/index.html", "a\x00b/index.html", "a//b",
     "x/aux.txt", "C:/x", "a\\b", "dir./index.html"],
)  # fmt: skip
def test_output_paths_are_refused(relative, tmp_path):
    with pytest.raises(UnsafePathError):
        inside(tmp_path, relative)
    with pytest.raises(UnsafePathError):
        write_file(tmp_path, relative, "x")
    with pytest.raises(ValueError, match="must stay inside output/"):
        Site([]).add(Page("en", "x", relative, "page.html"))
    assert unsafe_relative_path(relative)


def test_output_path_through_a_symlink_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    output = tmp_path / "output"
    output.mkdir()
    os.symlink(outside, output / "media")
    with pytest.raises(UnsafePathError, match="leaves"):
        inside(output, "media/x.html")


def test_safe_names_pass():
    for name in ("report.pdf", "تقرير.pdf", "ڕاپۆرت-2025.png", "console.pdf", "com10.png", ".htaccess"):
        assert unsafe_name(name) is None, name
    assert inside("/tmp", "en/tags/con-tag/index.html").name == "index.html"


def test_reference_resolution_stays_in_content(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "media").mkdir()
    (content / "media" / "a.pdf").write_bytes(b"%PDF")
    source = content / "articles" / "x.en.md"
    assert resolve_reference(content, source, "../media/a.pdf")[0] == (content / "media" / "a.pdf").resolve()
    assert resolve_reference(content, source, "../media/a.pdf#page=2")[0] is not None
    assert resolve_reference(content, source, "../../content/media/a.pdf")[1] == ""
    assert resolve_reference(content, source, "../../elsewhere/a.pdf")[1] == "points outside content/"


def test_link_to_another_page_relative_to_this_page_is_kept(minimal_content, tmp_path):
    append(minimal_content, ARTICLE, "\n[the About page](../../pages/about/index.html)\n")
    out = tmp_path / "out"
    result = run_build("--settings", quick_settings(tmp_path), "--content", minimal_content, "--output", out)
    assert result.returncode == 0, result.stderr
    page = parse(out / "en" / "articles" / "water-report" / "index.html")
    assert page.xpath("//a[text()='the About page']")[0].get("href") == "../../pages/about/index.html"
