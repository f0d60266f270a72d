"""The theme's Jinja environments: one place for the template folders and options.

Used by ``press_render`` (HTML pages, autoescaped) and ``press_feeds`` (feed
titles, plain text); both speak one language through its gettext catalog.
"""

from __future__ import annotations

import gettext as gettext_module
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
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


def environment(templates: list[str], translations=None, autoescape: bool = True) -> Environment:
    """An i18n environment; ``translations`` None installs the null catalog (English)."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=autoescape,
        auto_reload=False,  # templates do not change during a build: no stat() per page
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.globals["content_security_policy"] = META_POLICY  # base.html's <meta http-equiv> (headers.py)
    env.globals["asset"] = asset  # asset('css/press.css'): the fingerprinted file, page-relative
    if translations is None:
        translations = gettext_module.NullTranslations()
    env.install_gettext_translations(translations, newstyle=True)  # {% trans %}, pgettext …
    env.globals.update(direct_gettext(translations, autoescape))
    return env


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
