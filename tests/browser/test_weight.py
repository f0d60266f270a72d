"""Page weight: what each page type makes a reader download (gzip -9), reported, with two budgets."""

from __future__ import annotations

import gzip

from .support import PAGE_INSTANCES, report

ARTICLE_BUDGET = 25 * 1024  # HTML + CSS + JS (+ any other non-font file), gzipped
FONT_BUDGET = 60 * 1024  # each web font file, as served
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts"}


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def test_page_weight_budget(tab, site):
    rows, fonts = [], {}
    for instance in PAGE_INSTANCES:
        tab.requests.clear()
        tab.open(instance.path(site.output))
        sizes = {"html": 0, "css": 0, "js": 0, "other": 0, "fonts": 0}
        for resource, url in dict.fromkeys(tab.requests):  # each file once
            if not url.startswith(site.origin):
                continue
            relative = site.path_of(url)
            data = (site.output / relative).read_bytes()
            kind = KINDS.get(resource, "other")
            if kind == "fonts":
                fonts[relative] = len(data)
                sizes[kind] += len(data)
            else:
                sizes[kind] += len(gzip.compress(data, compresslevel=9, mtime=0))
        sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"] + sizes["other"]
        rows.append({"page": instance.id, "type": instance.type.name, "lang": instance.lang, **sizes})
    for path in sorted((site.output / "theme").rglob("*.woff2")):  # every font, loaded or not
        fonts.setdefault(path.relative_to(site.output).as_posix(), path.stat().st_size)

    columns = f"{'page':<32}{'html':>7}{'css':>7}{'js':>7}{'other':>7}{'total':>8}{'fonts':>8}"
    header = f"{columns}   (KB; gzip -9, fonts as served)"
    lines = [header] + [
        f"{r['page']:<32}{kb(r['html']):>7}{kb(r['css']):>7}{kb(r['js']):>7}{kb(r['other']):>7}"
        f"{kb(r['total']):>8}{kb(r['fonts']):>8}"
        for r in rows
    ]
    lines += ["", "font files:"] + [f"  {name}: {kb(size)} KB" for name, size in sorted(fonts.items())]
    lines.append(
        f"budgets: article ≤ {kb(ARTICLE_BUDGET)} KB gz without fonts; each font ≤ {kb(FONT_BUDGET)} KB"
    )
    report("page-weight", "page weight", "\n".join(lines), {"pages": rows, "fonts": fonts})

    articles = [r for r in rows if r["type"] == "article"]
    assert articles
    for row in articles:
        over = f"{row['page']}: {kb(row['total'])} KB gz > {kb(ARTICLE_BUDGET)} KB"
        assert row["total"] <= ARTICLE_BUDGET, over
    for name, size in fonts.items():
        assert size <= FONT_BUDGET, f"{name}: {kb(size)} KB > {kb(FONT_BUDGET)} KB"
