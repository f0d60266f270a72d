"""The language table: every locale fact comes from Babel.

``LANGUAGES`` in ``pelicanconf.py`` lists code, Babel locale, native name and
numbering system.  From it this module derives, through Babel only, the text
direction, the numbering system (``"default"`` means the locale's own CLDR
default, e.g. ``arab`` for ``ar_IQ`` and ``ckb``) and date/number formatting.

Written by hand because Babel stops short in one place: its number formatting
with ``numbering_system`` swaps separators but always emits ASCII digits, and
it ships no digit table for numbering systems.  ``_DIGIT_ZERO`` names the first
code point of each CLDR numeric numbering system (the ten digits are
consecutive in Unicode for every system listed) so digits can be transliterated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from babel import Locale, UnknownLocaleError, dates, numbers

# CLDR numeric numbering systems -> code point of their digit zero.
_DIGIT_ZERO = {
    "latn": 0x30,
    "arab": 0x660,
    "arabext": 0x6F0,
    "deva": 0x966,
    "beng": 0x9E6,
    "thai": 0xE50,
    "mymr": 0x1040,
    "khmr": 0x17E0,
    "tibt": 0xF20,
    "fullwide": 0xFF10,
}


@dataclass(frozen=True)
class Language:
    code: str
    locale_id: str
    name: str
    numbering: str = "default"
    locale: Locale = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "locale", Locale.parse(self.locale_id))

    @cached_property  # Babel looks it up anew each time; every text asks
    def direction(self) -> str:
        return self.locale.text_direction

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @cached_property
    def numbering_system(self) -> str:
        if self.numbering == "default":
            return self.locale.default_numbering_system
        return self.numbering

    @cached_property
    def _digit_table(self) -> dict[int, str]:
        zero = _DIGIT_ZERO.get(self.numbering_system, 0x30)
        return {0x30 + i: chr(zero + i) for i in range(10)}

    def digits(self, text) -> str:
        """Write the ASCII digits of ``text`` in this language's digits."""
        return str(text).translate(self._digit_table)

    def number(self, value, fmt: str | None = None) -> str:
        system = self.numbering_system if self.numbering_system in self.locale.number_symbols else "latn"
        text = numbers.format_decimal(value, format=fmt, locale=self.locale, numbering_system=system)
        return self.digits(text)

    @cached_property
    def _date_texts(self) -> dict[tuple[dt.date, str], str]:
        return {}  # a site shows the same few thousand days on tens of thousands of pages

    def date(self, value: dt.date | dt.datetime, fmt: str = "long") -> str:
        day = value.date() if isinstance(value, dt.datetime) else value
        text = self._date_texts.get((day, fmt))
        if text is None:
            text = self.digits(dates.format_date(day, format=fmt, locale=self.locale))
            self._date_texts[day, fmt] = text
        return text

    def datetime(self, value: dt.datetime, fmt: str = "long") -> str:
        return self.digits(dates.format_datetime(value, format=fmt, locale=self.locale))

    def display_name(self, other: Language) -> str:
        """The name of ``other`` in this language (Babel), e.g. "Arabic" in English."""
        return other.locale.get_language_name(self.locale) or other.name


class LanguageTableError(ValueError):
    pass


def load_languages(settings) -> list[Language]:
    """Build :class:`Language` objects from the ``LANGUAGES`` setting."""
    table = settings.get("LANGUAGES") or []
    if not table:
        raise LanguageTableError("pelicanconf.py: LANGUAGES is empty — add at least one language")
    result = []
    for row in table:
        try:
            language = Language(row["code"], row["locale"], row["name"], row.get("numbering", "default"))
        except (KeyError, TypeError):
            raise LanguageTableError(
                f"pelicanconf.py: LANGUAGES entry {row!r} — give code, locale, name (and numbering)"
            ) from None
        except (UnknownLocaleError, ValueError) as exc:
            raise LanguageTableError(
                f"pelicanconf.py: LANGUAGES entry {row!r}: Babel does not know the locale ({exc}) — "
                "use a CLDR locale id such as ar_IQ, ckb or en"
            ) from None
        if language.numbering_system not in _DIGIT_ZERO:
            raise LanguageTableError(
                f"pelicanconf.py: LANGUAGES entry {row['code']!r}: unknown numbering system "
                f"{language.numbering_system!r} — use one of {', '.join(sorted(_DIGIT_ZERO))} or 'default'"
            )
        result.append(language)
    return result
