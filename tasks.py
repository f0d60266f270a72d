"""Invoke tasks: the Pelican quickstart names plus translation, checking and scaffolding.

Run them through the bootstrap, which sets up ``.venv`` first:
``python3 dev.py build``, ``python3 dev.py check``, ``python3 dev.py add-locale ku`` …
"""

import contextlib
import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from press_core import build as press_build  # noqa: E402
from press_core import catalogs  # noqa: E402
from press_core.languages import load_languages  # noqa: E402

SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
CONTENT = ROOT / "content"
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
TEMPLATES = ROOT / "theme" / "templates"


def _languages():
    return load_languages(press_build.load_settings(SETTINGS))


@task(help={"settings": "settings file (default pelicanconf.py)", "output": "output folder"})
def build(c, settings=str(SETTINGS), output=str(OUTPUT)):
    """Build the site into output/ (atomically: a failed build leaves output/ as it was)."""
    if press_build.build(settings, output) != 0:
        raise Exit(code=1)


@task
def clean(c):
    """Remove output/."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task(pre=[clean])
def rebuild(c):
    """Clean, then build."""
    build(c)


@task
def check(c):
    """Validate content and catalogs (path:line: problem — fix); writes nothing."""
    if press_build.check(SETTINGS) != 0:
        raise Exit(code=1)


@task(help={"port": "port on localhost (default 8000)"})
def serve(c, port=8000):
    """Serve output/ at http://localhost:PORT/."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(OUTPUT))
    with http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler) as server:
        print(f"Serving the press at http://localhost:{port}/ (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task(help={"port": "port on localhost (default 8000)"})
def reserve(c, port=8000):
    """Build, then serve at http://localhost:PORT/."""
    build(c)
    serve(c, port=port)


@task
def regenerate(c):
    """Rebuild whenever content, theme, translations or plugins change."""
    from watchfiles import watch

    build(c)
    watched = [CONTENT, ROOT / "theme", TRANSLATIONS, ROOT / "plugins", SETTINGS]
    for _changes in watch(*watched):
        press_build.build(SETTINGS, OUTPUT)


@task
def preview(c):
    """Build with publishconf.py (the public URL) into output/."""
    build(c, settings=str(PUBLISH_SETTINGS))


@task(
    help={
        "target": "a folder, [user@]host:path (rsync over ssh), or with --branch a git remote (URL or name)",
        "branch": "push the site as one commit onto this branch of the remote TARGET (e.g. gh-pages)",
        "skip_build": "publish OUTPUT as it is, without building it with publishconf.py first",
        "output": "the built site to publish (default output/)",
    }
)
def publish(c, target, branch=None, skip_build=False, output=str(OUTPUT)):
    """Build with publishconf.py, then publish to a folder, over rsync+ssh or onto a git branch."""
    from press_core import publish as press_publish

    if not skip_build:
        build(c, settings=str(PUBLISH_SETTINGS), output=output)
    kind = press_publish.kind_of(target, branch)
    try:
        press_publish.check_whole(output)
        if kind == "git":
            commit = press_publish.to_branch(output, target, branch, ROOT)
            done = f"commit {commit[:10]}" if commit else "no new commit: the branch already holds this site"
            print(f"Published to branch {branch} of {target} ({done})")
            return
        if kind == "rsync":
            press_publish.to_rsync(output, target)
        else:
            press_publish.to_folder(output, target)
    except press_publish.PublishError as exc:
        raise Exit(str(exc), code=1) from None
    print(f"Published to {target}")


@task(name="i18n-extract")
def i18n_extract(c):
    """Extract UI strings from the templates into translations/messages.pot."""
    catalog = catalogs.extract(TEMPLATES, POT)
    print(f"{POT.relative_to(ROOT)}: {len(catalog)} strings")


@task(name="i18n-update", pre=[i18n_extract])
def i18n_update(c):
    """Merge new strings into every catalog (and set CLDR Plural-Forms)."""
    for language in _languages():
        path = catalogs.catalog_path(TRANSLATIONS, language.code)
        if path.exists():
            catalogs.update_catalog(POT, TRANSLATIONS, language.code, language.locale_id)
            print(f"updated {path.relative_to(ROOT)}")


@task(name="i18n-compile")
def i18n_compile(c):
    """Write .mo files beside the catalogs (the build compiles in memory; this is for other tools)."""
    for language in _languages():
        if catalogs.catalog_path(TRANSLATIONS, language.code).exists():
            print(catalogs.compile_catalog(TRANSLATIONS, language.code, language.locale_id).relative_to(ROOT))


@task(
    name="add-locale",
    help={
        "code": "language code, e.g. ku",
        "locale": "Babel locale (default: the code)",
        "name": "native name (default: from Babel)",
    },
)
def add_locale(c, code, locale=None, name=None):
    """Add a language: its catalog under translations/ and a row in LANGUAGES (pelicanconf.py)."""
    from babel import Locale, UnknownLocaleError

    try:
        babel_locale = Locale.parse(locale or code)
    except (UnknownLocaleError, ValueError) as exc:
        raise Exit(
            f"Babel does not know the locale {locale or code!r} ({exc}) — pass --locale", code=1
        ) from None
    i18n_extract(c)
    path = catalogs.catalog_path(TRANSLATIONS, code)
    if not path.exists():
        catalogs.init_catalog(POT, TRANSLATIONS, code, str(babel_locale))
        print(f"created {path.relative_to(ROOT)}")
    row = {
        "code": code,
        "locale": str(babel_locale),
        "name": name or babel_locale.get_display_name(babel_locale),
        "numbering": "default",
    }
    catalogs.add_language_row(SETTINGS, row)
    print(f"LANGUAGES now has {code} ({row['name']}, {babel_locale.text_direction}); run `invoke build`.")


@task(
    name="new-article",
    help={
        "lang": "language code of the file",
        "key": "item key (default: from today)",
        "title": "title (optional)",
    },
)
def new_article(c, lang, key=None, title=None):
    """Scaffold content/articles/<key>.<lang>.md with valid front matter."""
    import yaml

    codes = [language.code for language in _languages()]
    if lang not in codes:
        raise Exit(f"unknown language {lang!r} — use one of {', '.join(codes)}", code=1)
    today = dt.date.today()
    key = key or f"{today.isoformat()}-article"
    articles = CONTENT / "articles"
    existing = sorted(articles.rglob(f"{key}.*.md"))
    target = articles / f"{key}.{lang}.md"
    if target.exists():
        raise Exit(f"{target.relative_to(ROOT)} exists already", code=1)
    if existing:
        meta = {"title": title or "…", "translation": True}
    else:
        categories = yaml.safe_load((CONTENT / "categories.yml").read_text(encoding="utf-8")) or {}
        meta = {
            "title": title or "…",
            "date": today.isoformat(),
            "category": next(iter(categories), "news"),
            "authors": [],
        }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"---\n{front}---\nWrite the text here, in Markdown.\n", encoding="utf-8")
    print(
        f"created {target.relative_to(ROOT)}"
        + (" (a translation of " + existing[0].name + ")" if existing else "")
    )


@task
def codeowners(c):
    """Write .github/CODEOWNERS and .gitlab/CODEOWNERS from the bloc files' editors."""
    from press_blocs.tools import write_codeowners

    for path in write_codeowners(CONTENT, ROOT):
        print(f"wrote {path.relative_to(ROOT)}")


@task(
    name="new-paper",
    help={
        "bloc": "bloc id (a folder in content/blocs/)",
        "lang": "language code of the file",
        "question": "id of the question it answers (content/questions.yml; optional)",
        "reply_to": "key of the paper it replies to (optional)",
        "key": "paper key (default: <bloc>-<today>)",
        "title": "title (optional)",
    },
)
def new_paper(c, bloc, lang, question=None, reply_to=None, key=None, title=None):
    """Scaffold content/blocs/<bloc>/papers/<key>.<lang>.md with valid front matter."""
    from press_blocs.tools import ToolError
    from press_blocs.tools import new_paper as scaffold

    codes = [language.code for language in _languages()]
    try:
        target, translation = scaffold(CONTENT, codes, bloc, lang, question, reply_to, key, title)
    except ToolError as exc:
        raise Exit(str(exc), code=1) from None
    print(f"created {target.relative_to(ROOT)}" + (" (a translation)" if translation else ""))


@task(help={"args": "extra pytest arguments"})
def test(c, args=""):
    """Run the whole test suite, on every core (pytest-xdist; ``--args "-n 0"`` runs it serially)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, "-m", "pytest", "-n", "auto", *args.split()]
    result = subprocess.call(command, cwd=ROOT, env=env)
    if result != 0:
        raise Exit(code=result)


@task(
    help={
        "articles": "items per language (default 1000)",
        "no_scaling": "skip the 3N row",
        "runs": "times each build runs, the fastest counted (default: tools/bench.py's RUNS, 2)",
    }
)
def bench(c, articles=1000, no_scaling=False, runs=None):
    """Benchmark: our build (cold, unchanged, one change, 3N) against bare Pelican on the same corpus."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, str(ROOT / "tools/bench.py"), "--articles", str(articles)]
    if no_scaling:
        command.append("--no-scaling")
    if runs:
        command += ["--runs", str(runs)]
    if subprocess.call(command, cwd=ROOT, env=env) != 0:
        raise Exit(code=1)


@task(
    name="bench-search",
    help={
        "docs": "documents per language (default 10000)",
        "queries": "queries per language (default 100)",
        "no_pagefind": "measure the press only, not Pagefind beside it",
    },
)
def bench_search(c, docs=10000, queries=100, no_pagefind=False):
    """Search benchmark: our index and Pagefind on the same generated corpus, measured in Chromium."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, str(ROOT / "tools/bench_search.py"), "--docs", str(docs)]
    command += ["--queries", str(queries)] + (["--no-pagefind"] if no_pagefind else [])
    if subprocess.call(command, cwd=ROOT, env=env) != 0:
        raise Exit(code=1)
