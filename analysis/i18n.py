"""The language of what ClusterNet says: gettext catalogues (Babel), numbers, dates and country names per language.

The language is a context variable: a page run, a CLI command or a test sets it (`speaking`, `set_language`) and
every `_()` below it follows. English is the source language: its text is the message id itself. The Italian
catalogue is every `*.po` file in `analysis/locale/it/LC_MESSAGES/`, read at first use (no compile step).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path

import pycountry
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

ENGLISH = "en"
LANGUAGES = {"en": "English", "it": "Italiano"}  # each language named in itself, as the switch shows it
LOCALE_DIR = Path(__file__).parent / "locale"
URL_KEY = "lang"
# Babel's locale for each language: British English writes `7 November 2014`, not `November 7, 2014`.
_BABEL_LOCALE = {"en": "en_GB", "it": "it_IT"}

_language: ContextVar[str] = ContextVar("language", default=ENGLISH)


def language() -> str:
    """The language being spoken here: `en` or `it`."""
    return _language.get()


def set_language(code: str) -> None:
    """Speak `code` from here on in this context (a page run); unknown codes mean English."""
    _language.set(code if code in LANGUAGES else ENGLISH)


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code` inside the block, then as before."""
    token = _language.set(code if code in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _language.reset(token)


def preferred(*wishes: str | None) -> str:
    """The first supported language among wishes such as `it`, `it-IT` or an Accept-Language header; else English."""
    for wish in wishes:
        for part in (wish or "").split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
    return ENGLISH


def po_files(code: str) -> list[Path]:
    return sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.po"))


def catalogue(code: str) -> Catalog:
    """Every message of a language's `.po` files in one catalogue, with the plural rule their headers give."""
    merged = Catalog(locale=code)
    for path in po_files(code):
        with path.open("rb") as po:
            part = read_po(po, locale=code)
        merged.mime_headers = [("Plural-Forms", part.plural_forms)]  # gettext's rule for Italian: two forms
        for message in part:
            if message.id:
                merged[message.id] = message
    return merged


@cache
def translations(code: str) -> NullTranslations:
    if code == ENGLISH or not po_files(code):
        return NullTranslations()
    mo = io.BytesIO()
    write_mo(mo, catalogue(code))
    mo.seek(0)
    return Translations(mo)


def _(message: str) -> str:
    """`message` in the language spoken here."""
    return translations(language()).gettext(message)


def ngettext(one: str, many: str, count: int) -> str:
    """The singular or plural message for `count`, in the language spoken here (format `{count}` yourself)."""
    return translations(language()).ngettext(one, many, count)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined; `_()` translates it where it is said."""
    return message


def babel_locale() -> str:
    """Babel's locale for the language spoken (`en_GB`, `it_IT`)."""
    return _BABEL_LOCALE[language()]


def integer(value: int) -> str:
    """`1,234` in English, `1.234` in Italian."""
    return format_decimal(int(value), locale=babel_locale(), group_separator=True)


def decimal(value: float, places: int = 1) -> str:
    """`1,234.5` in English, `1.234,5` in Italian, with exactly `places` decimals."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def euros(value: float, places: int = 0) -> str:
    """An amount in euros as analysts read it: `1,496,700 EUR` / `1.496.700 EUR` (`places` decimals)."""
    number = integer(round(value)) if places == 0 else decimal(value, places)
    return f"{number} EUR"


def percent(share: float, places: int = 0) -> str:
    """A share as a percentage: `45%` in English, `45%` in Italian (`12,5%` with one place)."""
    pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
    return format_percent(share, format=pattern, locale=babel_locale())


def day(value: date) -> str:
    """`7 November 2014`, `7 novembre 2014`."""
    return format_date(value, "long", locale=babel_locale())


def month(value: date) -> str:
    """`November 2014`, `novembre 2014`."""
    return format_skeleton("yMMMM", value, locale=babel_locale())


def written_date(text: str) -> str:
    """A contract date as written (`2014`, `2014-11`, `2014-11-07`) said in words; anything else as it is."""
    try:
        parts = [int(p) for p in text.split("-")]
    except (ValueError, AttributeError):
        return text
    if len(parts) == 1:
        return text
    if len(parts) == 2:
        return month(date(parts[0], parts[1], 1))
    return day(date(*parts[:3]))


@cache
def _country_catalogue(code: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)


def country_name(code: str, given: str | None = None) -> str:
    """A country's name in the language spoken: in English the name the dataset gives (else ISO's), in another
    language ISO 3166's own translation (pycountry's catalogues), else the given name, else the code."""
    country = pycountry.countries.get(alpha_2=code) if isinstance(code, str) and len(code) == 2 else None
    if language() == ENGLISH or country is None:
        if given:
            return given
        return (getattr(country, "common_name", None) or country.name) if country else code
    catalogue = _country_catalogue(language())
    for english in (getattr(country, "common_name", None), country.name):
        if english and (said := catalogue.gettext(english)) != english:
            return said
    return given or getattr(country, "common_name", None) or country.name
