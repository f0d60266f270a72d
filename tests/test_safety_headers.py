"""One Content-Security-Policy in every page's <meta>, and the same policy in the server snippets."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, html_files, parse, run_build
from safety_support import quick_settings

from press_core.headers import HEADER_POLICY, META_POLICY, server_files

ONION = "http://" + "a" * 56 + ".onion"


@pytest.fixture(scope="module")
def onion_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("headers")
    output = folder / "output"
    settings = quick_settings(folder, ONION_ADDRESS=ONION)
    result = run_build(
        "--settings", settings, "--content", ROOT / "tests" / "fixtures" / "minimal", "--output", output
    )
    assert result.returncode == 0, result.stderr
    return output


def test_policy_allows_only_the_site_itself():
    for policy in (META_POLICY, HEADER_POLICY):
        sources = {token for directive in policy.split(";") for token in directive.split()[1:]}
        assert sources <= {"'self'", "'none'", "file:"}, sources
        assert "default-src 'none'" in policy and "base-uri 'none'" in policy
        assert "unsafe" not in policy and "*" not in policy and "http" not in policy
    assert (
        "frame-ancestors 'none'" in HEADER_POLICY and "frame-ancestors" not in META_POLICY
    )  # meta ignores it
    assert "file:" not in HEADER_POLICY


def test_every_page_carries_the_policy_before_anything_loads(onion_site):
    pages = html_files(onion_site)
    assert len(pages) > 20
    for path in pages:
        head = parse(path).xpath("/html/head")[0]
        metas = head.xpath("meta[@http-equiv='Content-Security-Policy']")
        assert len(metas) == 1 and metas[0].get("content") == META_POLICY, path
        first_loader = head.xpath("(link|script|style)[1]")
        assert not first_loader or metas[0].getparent().index(metas[0]) < head.index(first_loader[0]), path


def test_server_snippets_send_the_same_policy(onion_site):
    headers = (onion_site / "_headers").read_text(encoding="utf-8")
    assert headers.splitlines()[2] == "/*"
    assert f"  Content-Security-Policy: {HEADER_POLICY}" in headers.splitlines()
    assert "  X-Content-Type-Options: nosniff" in headers and "  Referrer-Policy: no-referrer" in headers
    htaccess = (onion_site / ".htaccess").read_text(encoding="utf-8")
    assert f'Header always set Content-Security-Policy "{HEADER_POLICY}"' in htaccess
    assert f'Header always set Onion-Location "{ONION}%{{REQUEST_URI}}e"' in htaccess
    nginx = (onion_site / "server" / "nginx.conf").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{HEADER_POLICY}" always;' in nginx
    assert f'add_header Onion-Location "{ONION}$request_uri" always;' in nginx
    assert "\ngzip_static on;\n" in nginx  # the build's .gz siblings, sent as they are
    assert "Onion-Location" not in headers  # _headers cannot name the path; every page's <meta> does


def test_without_onion_no_onion_header():
    assert not any("Onion-Location" in text for text in server_files("").values())


def test_docs_show_the_policy_the_pages_carry():
    doc = " ".join((ROOT / "docs" / "SAFETY.md").read_text(encoding="utf-8").split())
    assert META_POLICY in doc
    for name in server_files():
        assert f"output/{name}" in doc, name


def test_templates_load_nothing_inline():
    """The policy forbids inline script and style: no template may need them."""
    for template in sorted((ROOT / "theme" / "templates").glob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"<style\b|\sstyle=\"|\son[a-z]+=", text), template.name
