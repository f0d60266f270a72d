"""The theme's Jinja environments: one place for the template folders and options.

Used by ``press_render`` (HTML pages, autoescaped) and ``press_feeds`` (feed
titles, plain text); both speak one language through its gettext catalog.
"""

from __future__ import annotations

import gettext as gettext_module
import hashlib
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .assets import asset
from .headers import META_POLICY

GLOBALS_KEY = "press_template_globals"


def template_dirs(settings, theme: str | Path) -> list[str]:
    """``THEME_TEMPLATES_OVERRIDES`` first, then the theme's own templates."""
    return [*settings.get("THEME_TEMPLATES_OVERRIDES", []), str(Path(theme) / "templates")]


def add_template_global(context, name: str, value) -> None:
    """Give every page template ``name`` (e.g. press_images' ``image()``); call during
    ``generate_context`` of a plugin listed before press_render."""
    context.setdefault(GLOBALS_KEY, {})[name] = value


def template_globals(context) -> dict:
    return context.get(GLOBALS_KEY, {})


def environment(
    templates: list[str], translations=None, autoescape: bool = True, cache: str | Path | None = None
) -> Environment:
    """An i18n environment; ``translations`` None installs the null catalog (English).

    ``cache``: a cache folder (``CACHE_PATH``) where compiled templates are kept for the next
    build (Jinja's bytecode cache: a template is compiled again when its source changed): a
    rebuild's four page environments compiled 93 templates in 0.7 s at 10k.  The code depends
    on the Jinja and Python versions and on the options below, which name the folder.  It must
    not depend on a language, a catalog or a setting, which the cache does not key: Jinja
    computes a filter applied to a constant while compiling (``{{ '0' | digits }}`` became "٠"
    in the Arabic environment's code), so a filter that speaks a language is added with
    :func:`add_language_filters`, which Jinja cannot compute ahead.
    """
    options = {
        "autoescape": autoescape,
        "extensions": ["jinja2.ext.i18n"],
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    bytecode = None
    if cache:
        code = hashlib.sha256(f"{jinja2.__version__} {sorted(options.items())} newstyle".encode())
        folder = Path(cache) / f"jinja-{code.hexdigest()[:16]}"
        folder.mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(folder))
    env = Environment(
        loader=FileSystemLoader(templates),
        bytecode_cache=bytecode,
        auto_reload=False,  # templates do not change during a build: no stat() per page
        undefined=StrictUndefined,
        **options,
    )
    env.globals["content_security_policy"] = META_POLICY  # base.html's <meta http-equiv> (headers.py)
    env.globals["asset"] = asset  # asset('css/press.css'): the fingerprinted file, page-relative
    if translations is None:
        translations = gettext_module.NullTranslations()
    env.install_gettext_translations(translations, newstyle=True)  # {% trans %}, pgettext …
    env.globals.update(direct_gettext(translations, autoescape))
    return env


def add_language_filters(env: Environment, language) -> None:
    """``date``, ``number`` and ``digits`` in ``language``, as filters that Jinja calls when the
    page is rendered, never while compiling (see :func:`environment`)."""
    for name, function in (("date", language.date), ("number", language.number), ("digits", language.digits)):
        env.filters[name] = _when_rendered(function)


def _when_rendered(function):
    @pass_context  # a filter given the page's context is one Jinja does not compute ahead
    def apply(context, value, *args, **kwargs):
        return function(value, *args, **kwargs)

    return apply


def direct_gettext(translations, autoescape: bool) -> dict:
    """``_``, ``gettext`` and ``ngettext`` for templates: what ``jinja2.ext.i18n`` installs with
    ``newstyle=True``, as plain functions.

    The same strings come out (the translation, marked safe when autoescaping, then always
    %-formatted with the escaped variables), but without Jinja's context-passing calls
    (``_`` -> context.call -> ``gettext`` -> context.call -> catalog), which cost about a
    fifth of rendering a page, and a string without variables is looked up once per build.
    Templates here never switch autoescaping off inside a page, so it is fixed per environment.
    """
    mark = Markup if autoescape else str
    constant: dict[str, str] = {}

    def gettext(string: str, /, **variables) -> str:
        if variables:
            return mark(translations.gettext(string)) % variables
        found = constant.get(string)
        if found is None:
            found = constant[string] = mark(translations.gettext(string)) % variables
        return found

    def ngettext(singular: str, plural: str, num: int, /, **variables) -> str:
        variables.setdefault("num", num)
        return mark(translations.ngettext(singular, plural, num)) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
