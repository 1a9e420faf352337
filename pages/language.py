"""The language a page is shown in: the person's own choice, else this browser's (a cookie), else the first offered
language the browser's `Accept-Language` asks for, else the clinic's default. A page takes it while it is built
(`use_page_language`); its texts (`_`), the `lang` attribute of its html and Quasar's own words (the date picker's
month names, its first day of the week) follow it, and so do its live popups, which are worded in the browser's own
page context.
"""

import copy
import logging
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from nicegui import app, ui
from nicegui.slot import Slot

from config import Settings
from services.clinic import Clinic
from services.i18n import (
    SOURCE_LANGUAGE,
    best_language,
    day_in,
    language_name,
    read_in,
    span_in,
    translate,
    translate_in_context,
    translate_plural,
    when_in,
)
from services.profiles import choose_language
from services.read_models.values import Person

from .components.calls import call

log = logging.getLogger(__name__)
_KEY = 'language'  # in the page's own storage
COOKIE = 'clinic_language'  # a browser's own choice (a person's is kept on their account as well)
_OFFERED = 'languages offered'  # in the page's own storage: [code, name] for the header's switch
_CHOOSE = 'choose a language'  # in the page's own storage: what the switch does
# Quasar's language packs (en-GB: a week from Monday; the pseudo-locale uses it too)
QUASAR_LANGUAGES = {'en': 'en-GB', 'es': 'es', 'de': 'de', 'qps': 'en-GB'}


def page_language(settings: Settings, person: Person | None) -> str:
    """The language this page should be shown in (see the module's text)."""
    offered = settings.offered_languages
    if person is not None and person.language in offered:
        return str(person.language)
    request = ui.context.client.request
    chosen = request.cookies.get(COOKIE)
    if chosen in offered:
        return str(chosen)
    return best_language(request.headers.get('accept-language'), offered, settings.default_language)


def use_page_language(clinic: Clinic, person: Person | None) -> str:
    """Show the page being built in its language (call before its first text); return the language. The header's
    language switch then offers the clinic's languages, and a choice is kept on the person's account (a visitor's in
    their browser) before the page is shown again in it."""
    language = page_language(clinic.settings, person)
    app.storage.client[_KEY] = language
    app.storage.client[_OFFERED] = language_choices(clinic.settings)

    request = ui.context.client.request
    here = request.url.path + (f'?{request.url.query}' if request.url.query else '')

    async def choose(chosen: str) -> None:
        if person is not None:
            await call(choose_language, clinic, actor_id=person.id, language=chosen)
        ui.navigate.to(f'/language/{chosen}?{urlencode({"next": here})}')  # this browser keeps it too (a cookie)

    app.storage.client[_CHOOSE] = choose
    client = ui.context.client
    own = copy.copy(client.page)  # this page's own copy: the route's page is shared by every browser
    own.language = QUASAR_LANGUAGES.get(language, language)  # type: ignore[assignment]
    client.page = own
    return language


async def keep_browser_choice(clinic: Clinic, person: Person) -> None:
    """At sign-in: an account without a language of its own takes the one chosen in this browser (the header's
    switch), so their e-mails and reminders follow it too. An account's own choice is never overwritten here."""
    chosen = ui.context.client.request.cookies.get(COOKIE)
    if person.language is None and chosen in clinic.settings.offered_languages:
        try:
            await call(choose_language, clinic, actor_id=person.id, language=str(chosen))
        except Exception:  # a nicety: never the reason a sign-in with the right password fails
            log.exception('could not keep the language chosen in this browser on account %s', person.id)


def current_language() -> str:
    """The language of the page in whose context this runs (the source language outside a page)."""
    if not Slot.get_stack():  # no page context (a worker thread, the API): asking NiceGUI would make one up
        return SOURCE_LANGUAGE
    try:
        return str(app.storage.client.get(_KEY, SOURCE_LANGUAGE))
    except RuntimeError:
        return SOURCE_LANGUAGE


read_in(current_language)  # the services' refusals are worded in the language of the page that shows them


def _(text: str, **params: object) -> str:
    """`text` in this page's language, its `{placeholders}` filled from `params`."""
    return translate(current_language(), text, **params)


def day_words(day: date) -> str:
    """A day in this page's language ('Monday 30 November 2026', 'Montag, 30. November 2026')."""
    return day_in(current_language(), day)


def when_words(moment: datetime, tz: ZoneInfo) -> str:
    """A moment in the clinic's zone, short, in this page's language ('Mon 30 Nov 2026, 10:00')."""
    return when_in(current_language(), moment, tz)


def span_words(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> str:
    """'Mon 30 Nov 2026, 10:00' to '10:30' with an en dash (another day's end in full), in this page's language."""
    return span_in(current_language(), starts_at, ends_at, tz)


def N_(text: str) -> str:
    """Mark a text for the catalogs without translating it yet (a constant, translated with `_` where shown)."""
    return text


def pgettext(context: str, text: str, **params: object) -> str:
    """`_` for a text whose translation depends on what it is about (`context`, e.g. 'form' for a form's Cancel)."""
    return translate_in_context(current_language(), context, text, **params)


def ngettext(one: str, many: str, count: int, **params: object) -> str:
    return translate_plural(current_language(), one, many, count, **params)


def offered_here() -> list[list[str]]:
    """The languages this page's switch offers ([code, name]; none when the page took no language)."""
    try:
        return list(app.storage.client.get(_OFFERED, []))
    except RuntimeError:
        return []


async def choose_language_here(language: str) -> None:
    """The person in this page chose `language` (one of those offered here)."""
    choose = app.storage.client.get(_CHOOSE)
    if choose is not None:
        await choose(language)


def language_choices(settings: Settings) -> list[list[str]]:
    """[code, name in itself] of every offered language, for the header's switch (none when only one is offered)."""
    offered = settings.offered_languages
    return [[code, language_name(code)] for code in offered] if len(offered) > 1 else []
