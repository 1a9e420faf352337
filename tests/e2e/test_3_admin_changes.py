"""Scenario 3: the front desk changes Dr. Smith's availability; her schedule and a patient's booking page follow."""

from playwright.sync_api import expect

from tests.e2e.conftest import UPDATED, Stopwatch, fill_period, next_working_day, show_day


def test_an_admin_change_reaches_the_doctor_and_the_patient(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    alice = person('alice.smith@clinic.example')
    expect(alice.get_by_text('No unavailability planned.')).to_be_visible()
    admin = person('admin@clinic.example')
    admin.get_by_test_id('doctor-row').filter(has_text='Dr. Alice Smith').get_by_test_id('doctor-schedule').click()
    expect(admin.get_by_text('Schedule of Dr. Alice Smith')).to_be_visible()

    fill_period(admin, day, '13:00', '17:00', 'Training')
    watch = Stopwatch('3 admin blocks the afternoon -> patient grid')
    admin.get_by_test_id('unavailability-submit').click()
    expect(maria.get_by_test_id('slot').filter(has_text='13:00')).to_have_count(0)
    watch.stop()
    expect(maria.get_by_test_id('slot').last).to_have_text('11:30')
    expect(maria.get_by_text(UPDATED)).to_be_visible()
    expect(alice.get_by_test_id('unavailability-row')).to_contain_text('Training')
    afternoon = f'{day:%a} {day.day} {day:%b %Y}, 13:00 – 17:00'
    expect(alice.get_by_text(f'Schedule changed by Clinic Admin: marked {afternoon} unavailable.')).to_be_visible()
