"""gettext through Jinja: CLDR plural forms (not Babel's swapped header), English fallback."""

from __future__ import annotations

import gettext

import pytest
from babel import Locale
from babel.messages.plurals import get_plural
from conftest import ROOT
from jinja2 import Environment

from press_core.i18n import catalog_path, cldr_plural_forms, load_translations
from press_core.problems import Problems

# CLDR Arabic: 0 zero, 1 one, 2 two, 3..10 few, 11..99 many, 100..102 other.
EXPECTED_ARABIC = {
    0: "لا توجد مقالات",
    1: "مقال واحد",
    2: "مقالان",
    3: "٣ مقالات",
    11: "١١ مقالًا",
    100: "١٠٠ مقال",
    101: "١٠١ مقال",
}


def render_count(code: str, locale_id: str, n: int) -> str:
    from press_core.languages import Language

    translations, _ = load_translations(ROOT / "translations", code, Locale.parse(locale_id), Problems(ROOT))
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_translations(translations, newstyle=True)
    env.filters["number"] = Language(code, locale_id, code).number
    template = env.from_string("{{ ngettext('%(num)s article', '%(num)s articles', n, num=n | number) }}")
    return template.render(n=n)


@pytest.mark.parametrize("n", sorted(EXPECTED_ARABIC))
def test_arabic_plural_forms_follow_cldr(n):
    assert render_count("ar", "ar_IQ", n) == EXPECTED_ARABIC[n]


def test_babels_default_arabic_header_is_the_one_we_must_not_use():
    babel_rule = gettext.c2py(get_plural("ar").plural_expr)
    cldr_rule = gettext.c2py(cldr_plural_forms(Locale.parse("ar_IQ")).split("plural=")[1].rstrip(";"))
    assert (babel_rule(11), babel_rule(100)) != (cldr_rule(11), cldr_rule(100))
    assert (cldr_rule(11), cldr_rule(100)) == (4, 5)


def test_catalog_with_babels_header_is_reported(tmp_path):
    source = catalog_path(ROOT / "translations", "ar").read_text(encoding="utf-8")
    broken = tmp_path / "ar/LC_MESSAGES/messages.po"
    broken.parent.mkdir(parents=True)
    start = source.index('"Plural-Forms:')
    end = source.index('"MIME-Version')
    babel_header = f'"Plural-Forms: nplurals=6; plural={get_plural("ar").plural_expr};\\n"\n'
    broken.write_text(source[:start] + babel_header + source[end:], encoding="utf-8")
    problems = Problems(tmp_path)
    load_translations(tmp_path, "ar", Locale.parse("ar_IQ"), problems)
    assert len(problems.items) == 1
    message = str(problems.items[0])
    assert message.startswith("ar/LC_MESSAGES/messages.po:")
    assert "differs from CLDR" in message and "invoke i18n-update" in message


def test_english_and_sorani_counts():
    assert render_count("en", "en", 1) == "1 article"
    assert render_count("en", "en", 11) == "11 articles"
    assert render_count("ckb", "ckb", 3) == "٣ وتار"


def test_every_catalog_is_complete_and_matches_the_templates():
    from babel.messages.extract import extract_from_dir

    from press_core.catalogs import TEMPLATE_METHODS, TEMPLATE_OPTIONS

    wanted = {
        m[2] if isinstance(m[2], str) else m[2][0]
        for m in extract_from_dir(str(ROOT / "theme/templates"), TEMPLATE_METHODS, TEMPLATE_OPTIONS)
    }
    for code in ("ar", "ckb"):
        from babel.messages.pofile import read_po

        with open(catalog_path(ROOT / "translations", code), "rb") as handle:
            catalog = read_po(handle)
        have = {
            m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string and all(m.string)
        }
        assert wanted <= have, f"{code}: untranslated {sorted(wanted - have)} — run invoke i18n-update"


class _Catalog(gettext.NullTranslations):
    """A catalog whose translations carry markup, ``%`` signs and placeholders."""

    def gettext(self, message):
        text = {"Search": "Find <b>this</b> & that", "100%%": "100%% sure", "%(who)s wrote": "by %(who)s"}
        return text.get(message, message)

    def ngettext(self, singular, plural, n):
        if singular != "%(num)s item":
            return super().ngettext(singular, plural, n)
        return "%(num)s <i>item</i>" if n == 1 else "%(num)s <i>items</i> of %(all)s"


@pytest.mark.parametrize("autoescape", [True, False])
def test_templates_get_the_strings_jinjas_own_newstyle_gettext_gives(autoescape):
    """press_core.templating calls the catalog directly (faster); the output must not change."""
    from press_core.templating import direct_gettext

    source = (
        "{{ _('Search') }}|{{ gettext('Search') }}|{{ _('100%%') }}|{{ _('%(who)s wrote', who=who) }}|"
        "{{ ngettext('%(num)s item', '%(num)s items', 1) }}|"
        "{{ ngettext('%(num)s item', '%(num)s items', 3, num=three, all=who) }}|"
        "{% trans %}Search{% endtrans %}|"
        "{% trans n=2 %}{{ n }} item{% pluralize %}{{ n }} items{% endtrans %}"
    )
    outputs = []
    for direct in (False, True):
        env = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        env.install_gettext_translations(_Catalog(), newstyle=True)
        if direct:
            env.globals.update(direct_gettext(_Catalog(), autoescape))
        template = env.from_string(source)
        outputs.append([template.render(who="<Rosa & Karl>", three="٣") for _ in range(2)])  # 2nd: memo
    assert outputs[1] == outputs[0]
    assert ("&lt;Rosa &amp; Karl&gt;" in outputs[0][0]) is autoescape  # the check can tell escaping apart
