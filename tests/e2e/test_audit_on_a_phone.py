"""On a 390 px phone the admin's audit trail scrolls sideways inside its card; the page itself never widens."""

from playwright.sync_api import expect

from tests.e2e.conftest import fill_period, next_working_day, signed_in_page

PHONE = {'width': 390, 'height': 844}


def test_the_audit_table_scrolls_inside_its_card_on_a_phone(chromium, app, person):
    alice = person('alice.smith@clinic.example')
    alice.goto(f'{app.url}/schedule')
    fill_period(alice, next_working_day(), '09:00', '11:30', reason='A long reason that makes the row wider')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(1)

    admin = signed_in_page(chromium, app, 'admin@clinic.example')
    admin.set_viewport_size(PHONE)
    try:
        admin.goto(f'{app.url}/admin')
        admin.get_by_text('Audit trail').click()
        table = admin.get_by_test_id('audit-table')
        expect(table.get_by_text('Unavailable period added')).to_be_visible()
        page_width = admin.evaluate('document.documentElement.scrollWidth')
        assert page_width <= PHONE['width'], f'the page is {page_width} px wide on a {PHONE["width"]} px phone'
        scrolled, shown = table.evaluate('t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]')
        assert scrolled > shown, 'the table should scroll inside its card'
        table.evaluate('t => { t.parentElement.scrollLeft = t.parentElement.scrollWidth }')
        change = table.get_by_text('Change', exact=True).bounding_box()  # the last column, scrolled to
        assert change['x'] >= 0 and change['x'] + change['width'] <= PHONE['width']
    finally:
        admin.context.close()
