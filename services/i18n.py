"""The languages the clinic speaks: gettext catalogs (`services/locales/<language>/LC_MESSAGES/messages.po`, compiled
when first needed, so no binary is kept in the repository), the choice of a language from what a browser accepts,
and Babel's local formats.

Texts are written in English in the source, marked with `_()` (or `ngettext` where a count appears);
the README's `pybabel extract` command (section Languages) collects them.
A language is added by adding its catalog (README, "Adding a language").
"""

import functools
import gettext
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent / 'locales'
SOURCE_LANGUAGE = 'en'
DOMAIN = 'messages'
PSEUDO = 'qps'  # the pseudo-locale: every translated text in ⟦markers⟧, to find texts that are not translated
OPEN, CLOSE = '⟦', '⟧'


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f'{OPEN}{message}{CLOSE}'

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f'{OPEN}{msgid1 if n == 1 else msgid2}{CLOSE}'

    def pgettext(self, context: str, message: str) -> str:
        return f'{OPEN}{message}{CLOSE}'


def shipped_languages() -> tuple[str, ...]:
    """The source language and every language with a catalog, in a stable order."""
    catalogs = sorted(path.parent.parent.name for path in LOCALES.glob(f'*/LC_MESSAGES/{DOMAIN}.po'))
    return (SOURCE_LANGUAGE, *(code for code in catalogs if code != SOURCE_LANGUAGE))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (the source language, or one without a catalog: the texts as written)."""
    path = LOCALES / language / 'LC_MESSAGES' / f'{DOMAIN}.po'
    if language == PSEUDO:
        return _Pseudo()
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open('rb') as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


_reading: Callable[[], str] = lambda: SOURCE_LANGUAGE  # noqa: E731 (replaced by the pages' own, at their import)


def read_in(provider: Callable[[], str]) -> None:
    """Say how to find the language of whoever reads a message now (the pages: the language of the page in whose
    context the code runs), for messages the services word (their refusals)."""
    global _reading
    _reading = provider


def reading_language() -> str:
    return _reading()


class Readable(Protocol):
    """A value that reads differently in each language (a day, a span of time, a phrase)."""

    def in_language(self, language: str) -> str: ...


@dataclass(frozen=True)
class Phrase:
    """A marked text (`N_`) and its values, kept to be read later in the reader's language."""

    text: str
    params: tuple[tuple[str, Any], ...] = ()

    def in_language(self, language: str) -> str:
        return translate(language, self.text, **dict(self.params))


@dataclass(frozen=True)
class Span:
    """From `starts_at` to `ends_at` in the clinic's time zone, as `span_in` words it."""

    starts_at: datetime
    ends_at: datetime
    tz: ZoneInfo

    def in_language(self, language: str) -> str:
        return span_in(language, self.starts_at, self.ends_at, self.tz)


def localized(language: str, params: dict[str, Any]) -> dict[str, Any]:
    """`params` for a text in `language`: days (`date`) and `Readable` values worded in it, the rest as they are."""
    return {key: _localized(language, value) for key, value in params.items()}


def _localized(language: str, value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return day_in(language, value)
    if hasattr(value, 'in_language'):
        return value.in_language(language)
    return value


def translate(language: str, text: str, **params: object) -> str:
    """`text` in `language`, its `{placeholders}` filled from `params` (days and `Readable` values in `language`)."""
    translated = translations(language).gettext(text)
    return translated.format(**localized(language, params)) if params else translated


def N_(text: str) -> str:
    """Mark a text for the catalogs without translating it yet (a constant translated where it is used)."""
    return text


def N_plural(one: str, many: str) -> tuple[str, str]:
    """Mark a pair of texts for the catalogs as one plural entry (extraction keyword `N_plural:1,2`), translated with
    `translate_plural` where the count is known."""
    return one, many


def translate_in_context(language: str, context: str, text: str, **params: object) -> str:
    """`translate` for a text whose translation depends on what it is about (gettext's context): 'Keep it' said of an
    appointment and of a period differ in Spanish."""
    translated = translations(language).pgettext(context, text)
    return translated.format(**localized(language, params)) if params else translated


def translator(language: str) -> Callable[..., str]:
    """`_` for texts written in `language` outside a page (e-mails, reminders): `_ = translator(language)`, then
    `_('Booked: {doctor}', doctor=name)`, so the catalogs' extraction finds the text."""
    return functools.partial(translate, language)


def translate_plural(language: str, one: str, many: str, count: int, **params: object) -> str:
    """The form of `one`/`many` that `count` takes in `language` ('1 slot', '5 slots'), `{count}` filled in."""
    params.pop('count', None)
    return translations(language).ngettext(one, many, count).format(count=count, **localized(language, params))


def local_form(language: str, english: str, babel: Callable[[str], str]) -> str:
    """A date or number written as `language` writes it: `english` for the source language, `babel(language)` for
    another (Babel's formats), `english` in markers for the pseudo-locale."""
    if language == SOURCE_LANGUAGE:
        return english
    if language == PSEUDO:
        return f'{OPEN}{english}{CLOSE}'
    return babel(language)


def day_in(language: str, day: date) -> str:
    """A day as people write it: 'Monday 30 November 2026', 'lunes, 30 de noviembre de 2026', 'Montag, 30. November
    2026'."""
    if language in (SOURCE_LANGUAGE, PSEUDO):
        english = f'{day:%A} {day.day} {day:%B %Y}'
        return english if language == SOURCE_LANGUAGE else f'{OPEN}{english}{CLOSE}'
    return format_date(day, format='full', locale=language)


def when_in(language: str, moment: datetime, tz: ZoneInfo) -> str:
    """A moment in the clinic's time zone, short: 'Mon 30 Nov 2026, 10:00', 'lun, 30 nov 2026, 10:00' (always
    24-hour HH:MM)."""
    local = moment.astimezone(tz)
    if language in (SOURCE_LANGUAGE, PSEUDO):
        english = f'{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}'
        return english if language == SOURCE_LANGUAGE else f'{OPEN}{english}{CLOSE}'
    return f'{format_skeleton("yMMMEd", local, locale=language)}, {local:%H:%M}'


def span_in(language: str, starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> str:
    """'Mon 30 Nov 2026, 10:00 to 10:30, with an en dash,' in `language` (another day's end in full)."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if start.date() == end.date():
        return f'{when_in(language, starts_at, tz)} – {end:%H:%M}'
    return f'{when_in(language, starts_at, tz)} – {when_in(language, ends_at, tz)}'


def language_name(language: str) -> str:
    """A language's name in itself ('Deutsch', 'Español'), for the language switch."""
    if language == PSEUDO:
        return f'{OPEN}Pseudo{CLOSE}'
    try:
        name = Locale.parse(language).get_display_name(language)
    except (ValueError, UnknownLocaleError):
        return language
    return name.capitalize() if name else language


def best_language(accept_language: str | None, offered: tuple[str, ...], default: str) -> str:
    """The offered language a browser's `Accept-Language` prefers most (by its q-values), else `default`."""
    wanted = []
    for part in (accept_language or '').split(','):
        code, _, rest = part.strip().partition(';')
        quality = 1.0
        if rest.strip().startswith('q='):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        if code and code != '*' and quality > 0:
            wanted.append((quality, code.replace('_', '-')))
    preferred = [code for _, code in sorted(wanted, key=lambda item: -item[0])]
    found = negotiate_locale(preferred, list(offered), sep='-')
    return found if found in offered else default
