"""axe-core on every page type in every language: WCAG 2.0/2.1 A and AA, zero violations."""

from __future__ import annotations

import json

import pytest

from .support import ARTIFACTS, AXE, instances

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules we also hold the theme to: one <h1>, one <main>, all content in landmarks.
RULES = ["page-has-heading-one", "landmark-one-main", "region", "landmark-unique", "heading-order"]
OPTIONS = {
    "runOnly": {"type": "tag", "values": TAGS},
    "rules": {rule: {"enabled": True} for rule in RULES},
    "resultTypes": ["violations"],
}


def axe(page, options: dict) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # (script-src 'self') does not govern; a <script> tag would be refused by it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (options) => {
        const results = await axe.run(document, options);
        return results.violations.map(v => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, why: n.failureSummary})),
        }));
    }""",
        options,
    )


def summary(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} accessibility violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      {node['target']}  {node['html'][:120]}")
            lines += [f"        {line}" for line in (node["why"] or "").splitlines()[:3]]
    return "\n".join(lines)


@pytest.mark.parametrize("instance", instances())
def test_no_axe_violations(tab, site, node_modules, instance):
    path = instance.path(site.output)
    tab.open(path)
    violations = axe(tab.page, OPTIONS)
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{instance.id}.json").write_text(json.dumps(violations, indent=2, ensure_ascii=False) + "\n")
    assert not violations, summary(path, violations)


def test_axe_catches_a_known_violation(tab, node_modules):
    """axe really runs: an image without alt text and a low-contrast paragraph are reported."""
    tab.page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>t</h1><img src="data:,">'
        '<p style="color:#ccc;background:#fff">faint</p></main></html>'
    )
    found = {violation["id"] for violation in axe(tab.page, OPTIONS)}
    assert {"image-alt", "color-contrast"} <= found, found
