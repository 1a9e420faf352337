"""Props many pages show alike are one JSON text per language (or value), made once and shared."""

import json

from pages.components.shared_props import shared_json, words_json

WORDS = {'one': 'Schedule updated: available time slots have been refreshed.', 'held': '{time} held', 'seconds': 4}


def test_words_are_translated_per_language_and_numbers_kept():
    english, spanish = json.loads(words_json('en', WORDS)), json.loads(words_json('es', WORDS))
    assert english == WORDS
    assert spanish['one'] != english['one'] and '{time}' in spanish['held']  # placeholders left for the browser
    assert spanish['seconds'] == 4


def test_the_same_words_or_value_are_one_text_shared_by_every_page():
    assert words_json('de', dict(WORDS)) is words_json('de', dict(WORDS))
    links = (('My appointments', '/appointments'), ('Book', '/book'))
    assert shared_json(links) is shared_json(tuple(links))
    assert json.loads(shared_json(links)) == [['My appointments', '/appointments'], ['Book', '/book']]
