"""Every text the source marks for translation is in every shipped catalog, translated, with the same placeholders;
and a page's language is chosen from what its browser accepts among the languages the clinic offers."""

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from services.i18n import LOCALES, SOURCE_LANGUAGE, best_language, shipped_languages, translate, translate_plural

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r'\{[^{}]*\}')


def source_messages() -> dict[tuple[str | tuple[str, ...], str | None], str]:
    """Every marked text (a plural as its forms) with its context, and where it was found."""
    found: dict[tuple[str | tuple[str, ...], str | None], str] = {}
    for folder in ('pages', 'services'):
        for filename, line, message, _comments, context in extract_from_dir(
            ROOT / folder,
            method_map=[('**.py', 'python'), ('**/mail_templates/**', 'jinja2')],
            keywords={**DEFAULT_KEYWORDS, 'N_plural': (1, 2)},
        ):
            found.setdefault((message, context), f'{folder}/{filename}:{line}')
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_source_marks_texts_and_the_catalogs_are_found():
    assert len(source_messages()) > 20
    assert set(shipped_languages()) >= {'en', 'es', 'de'}


@pytest.mark.parametrize('language', [code for code in shipped_languages() if code != SOURCE_LANGUAGE])
def test_every_marked_text_is_translated_with_the_same_placeholders(language):
    with (LOCALES / language / 'LC_MESSAGES' / 'messages.po').open('rb') as source:
        catalog = read_po(source, locale=language)
    problems = []
    for (message, context), where in source_messages().items():
        entry = catalog.get(message[0] if isinstance(message, tuple) else message, context=context)
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            problems.append(f'{where}: {message!r} is not translated')
            continue
        sources = message if isinstance(message, tuple) else (message,)
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*(placeholders(text) for text in sources))
        for translated in translations:
            if placeholders(translated) != wanted:
                problems.append(f'{where}: {message!r} -> {translated!r} has other placeholders than {wanted}')
    assert problems == []


def test_a_catalog_with_a_changed_placeholder_is_caught(tmp_path):
    assert placeholders('Notifications, {count} unread') == {'count'}
    assert placeholders('Benachrichtigungen, {anzahl} ungelesen') != placeholders('Notifications, {count} unread')


def test_texts_are_translated_and_counts_take_their_plural_form():
    assert translate('de', 'Sign out') == 'Abmelden'
    assert translate('es', 'Notifications, {count} unread', count=3) == 'Notificaciones, 3 sin leer'
    assert translate('en', 'Sign out') == 'Sign out'
    assert translate_plural('en', '{count} slot', '{count} slots', 1) == '1 slot'
    assert translate_plural('en', '{count} slot', '{count} slots', 5) == '5 slots'


@pytest.mark.parametrize(
    ('header', 'chosen'),
    [
        ('de-DE,de;q=0.9,en;q=0.5', 'de'),
        ('es-MX', 'es'),
        ('fr-FR,fr;q=0.9', 'en'),  # nothing offered: the clinic's default
        ('fr;q=0.9,de;q=0.2,es;q=0.5', 'es'),  # by preference, not by order
        ('de;q=0', 'en'),  # q=0: not wanted
        ('', 'en'),
        (None, 'en'),
    ],
)
def test_a_browser_gets_the_offered_language_it_prefers(header, chosen):
    assert best_language(header, ('en', 'es', 'de'), 'en') == chosen


def test_a_language_the_clinic_does_not_offer_is_not_chosen():
    assert best_language('de-DE', ('en', 'es'), 'en') == 'en'


def test_the_app_refuses_to_offer_a_language_it_has_no_catalog_for(tmp_path):
    from services.startup import UnsafeSetting
    from tests.factories import make_clinic

    with pytest.raises(UnsafeSetting, match='No catalog for fr'):
        make_clinic(tmp_path, languages='en,fr')


def test_a_person_keeps_the_language_they_choose_among_those_offered(tmp_path):
    from services.access import load_actor
    from services.errors import InvalidInput
    from services.profiles import choose_language
    from tests.factories import create_patient, make_clinic

    clinic = make_clinic(tmp_path, languages='en,es,de')
    try:
        maria = create_patient(clinic)
        with pytest.raises(InvalidInput):
            choose_language(clinic, actor_id=maria.id, language='fr')
        choose_language(clinic, actor_id=maria.id, language='de')
        with clinic.db.reading() as session:
            assert load_actor(session, maria.id).language == 'de'
    finally:
        clinic.db.dispose()
