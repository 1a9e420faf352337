"""Issue 4 in the real app: a booking plans its reminders, and after a restart they are planned again from the
database, the same as before."""

from playwright.sync_api import expect

from tests.e2e.conftest import next_working_day, show_day


def test_reminder_jobs_are_planned_and_survive_a_restart(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='16:30').click()
    maria.get_by_test_id('book-submit').click()
    expect(maria.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()

    admin = person('admin@clinic.example')
    admin.get_by_text('Scheduled jobs').click()
    reminders = admin.get_by_test_id('scheduled-job').filter(has_text='Reminder')
    expect(reminders.first).to_be_visible()
    planned = reminders.all_inner_texts()

    address = admin.url
    app.restart()
    # The open page reloads itself when its connection comes back to a server that does not know it; a reload
    # from the test at that moment is aborted by the page's own. A new tab with the same cookies avoids the race.
    context = admin.context
    admin.close()
    admin = context.new_page()
    admin.goto(address)
    admin.get_by_text('Scheduled jobs').click()
    after = admin.get_by_test_id('scheduled-job').filter(has_text='Reminder')
    expect(after).to_have_count(len(planned))
    assert after.all_inner_texts() == planned
