"""The theme's Jinja environments: one place for the template folders and options.

Used by ``press_render`` (HTML pages, autoescaped) and ``press_feeds`` (feed
titles, plain text); both speak one language through its gettext catalog.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

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
        env.install_null_translations(newstyle=True)
    else:
        env.install_gettext_translations(translations, newstyle=True)
    return env
