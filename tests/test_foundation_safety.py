"""No page loads anything from another host; no internal URL starts with "/"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from conftest import html_files, parse, resolve

RESOURCE_XPATH = {
    "//script[@src]": "src",
    "//img[@src]": "src",
    "//iframe[@src]": "src",
    "//source[@src]": "src",
    "//audio[@src]": "src",
    "//video[@src]": "src",
    "//embed[@src]": "src",
    "//object[@data]": "data",
    "//link[@href]": "href",
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


def test_no_resource_from_another_host_and_no_root_relative_url(demo_site):
    for path in html_files(demo_site):
        page = parse(path)
        for xpath, attribute in RESOURCE_XPATH.items():
            for element in page.xpath(xpath):
                url = element.get(attribute)
                assert not is_external(url), f"{path}: {url}"
                assert not url.startswith("/"), f"{path}: {url}"
                assert resolve(path, url).exists(), f"{path}: {url} does not exist"
        for element in page.xpath("//*[@style]"):
            assert "url(" not in element.get("style"), path
        assert not page.xpath("//style"), f"{path}: inline <style>"
        for anchor in page.xpath("//a[@href]"):
            href = anchor.get("href")
            assert not href.startswith("/"), f"{path}: internal link {href} starts with /"
            if not is_external(href) and not href.startswith(("#", "mailto:")):
                assert resolve(path, href).exists(), f"{path}: {href} does not exist"


def test_stylesheets_load_only_local_files(demo_site):
    stylesheets = sorted(demo_site.rglob("*.css"))
    assert stylesheets
    for sheet in stylesheets:
        text = sheet.read_text(encoding="utf-8")
        assert "@import" not in text
        for url in CSS_URL.findall(text):
            assert not is_external(url) and not url.startswith("/"), f"{sheet}: {url}"
            assert (sheet.parent / url).resolve().exists(), f"{sheet}: {url}"


def test_css_uses_logical_properties_only(demo_site):
    physical = re.compile(
        r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:|"
        r"text-align\s*:\s*(left|right)|float\s*:\s*(left|right)"
    )
    for sheet in sorted(demo_site.rglob("*.css")):
        assert not physical.search(sheet.read_text(encoding="utf-8")), sheet
