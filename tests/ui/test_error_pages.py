"""Friendly error pages: an unknown or bad address, a refused page and a server error, in the app's frame."""

import asyncio
import json

import httpx
import pytest
from nicegui import __version__, ui

from tests.ui.conftest import sign_in

TRACES = ('Traceback', 'Exception', 'Error:', 'detail', 'int_parsing', 'File "')


def shown(response: httpx.Response) -> list[dict]:
    """The page's elements as the browser gets them (tag, text, props), in order."""
    start = response.text.index('{"0":{"tag"')
    elements, _ = json.JSONDecoder().raw_decode(response.text, start)
    return list(elements.values())


def texts(response: httpx.Response, tag: str | None = None) -> list[str]:
    return [e.get('text', '') for e in shown(response) if tag is None or e['tag'] == tag]


def links(response: httpx.Response) -> list[str]:
    return [e['props']['href'] for e in shown(response) if 'href' in e.get('props', {})]


def assert_friendly(response: httpx.Response, status: int, heading: str, sentence: str) -> None:
    assert response.status_code == status
    assert response.headers['content-type'].startswith('text/html')
    assert texts(response, 'h1') == [heading]
    assert any(sentence in text for text in texts(response))
    assert '/' in links(response) or '/login' in links(response)  # the way back
    assert not [t for t in texts(response) if any(trace in t for trace in TRACES)], texts(response)
    assert any('nicegui-header' in e.get('class', []) for e in shown(response))  # inside the app's frame


async def test_an_unknown_address_is_a_friendly_404_with_a_way_back(browser):
    visitor = browser()
    response = await visitor.http_client.get('/no-such-page')
    assert_friendly(response, 404, 'Page not found', 'There is no page at this address.')


@pytest.mark.parametrize('address', ['/book?doctor=abc', '/book?doctor=1&move=x'])
async def test_a_bad_address_parameter_is_a_friendly_page_not_json(browser, address):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    response = await maria.http_client.get(address)
    assert_friendly(response, 422, 'Page not found', 'This address has a mistake in it')


async def test_a_page_that_fails_shows_no_trace_only_a_friendly_500(browser, caplog):
    @ui.page('/fails-for-the-test')
    def failing_page() -> None:
        ui.label('half built')
        raise RuntimeError('secret detail of the failure')

    visitor = browser()
    response = await visitor.http_client.get('/fails-for-the-test')
    assert_friendly(response, 500, 'Something went wrong', 'The clinic could not show this page.')
    assert 'secret detail' not in response.text and 'RuntimeError' not in response.text
    assert 'secret detail of the failure' in caplog.text  # for the people who run the clinic: the log has it
    caplog.clear()  # that error log was expected


async def test_an_async_page_that_fails_after_waiting_shows_a_friendly_500(browser, caplog):
    @ui.page('/fails-later-for-the-test')
    async def failing_page() -> None:
        await asyncio.sleep(0)  # fails after the page started waiting, as a page calling a service would
        raise ValueError('secret detail of the failure')

    visitor = browser()
    response = await visitor.http_client.get('/fails-later-for-the-test')
    assert_friendly(response, 500, 'Something went wrong', 'The clinic could not show this page.')
    assert 'secret detail' not in response.text
    caplog.clear()  # the failure's expected error log


async def test_a_page_of_another_role_is_a_friendly_403_with_a_way_back(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    response = await maria.http_client.get('/admin')
    assert response.status_code == 403
    assert 'Not allowed' in texts(response) and 'Your account cannot open this page.' in texts(response)
    assert '/' in links(response)


async def test_a_missing_static_file_and_the_health_check_keep_plain_answers(browser):
    visitor = browser()
    missing = await visitor.http_client.get(f'/_nicegui/{__version__}/static/nothing.js')
    assert missing.status_code == 404 and 'Page not found' not in missing.text
    health = await visitor.http_client.get('/healthz')
    assert health.status_code == 200 and health.headers['content-type'].startswith('application/json')
