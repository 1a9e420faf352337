"""Scenario 7: a booking page survives a dropped connection and then shows the current slots."""

from playwright.sync_api import expect

from config import Settings
from services.accounts import sign_in
from services.availability import mark_unavailable
from services.local_time import parse_moment
from services.startup import open_clinic
from tests.e2e.conftest import TIMEZONE, Stopwatch, fill_period, next_working_day, show_day

REST = ['11:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30']


def test_the_page_catches_up_after_the_app_restarts(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    expect(maria.get_by_test_id('slot')).to_have_count(14)

    app.stop()  # the clinic's server goes down; while it is down, the front desk changes the schedule directly
    clinic = open_clinic(Settings(data_dir=app.data_dir, timezone=TIMEZONE))
    alice = sign_in(clinic, email='alice.smith@clinic.example', password='demo1234')
    mark_unavailable(
        clinic,
        actor_id=alice.id,
        doctor_id=alice.doctor_id,
        starts_at=parse_moment(f'{day} 09:00', clinic.tz, field='start'),
        ends_at=parse_moment(f'{day} 11:30', clinic.tz, field='end'),
    )
    clinic.db.dispose()
    watch = Stopwatch('7 app restarted -> patient page shows the change made meanwhile')
    app.start()

    expect(maria.get_by_test_id('slot')).to_have_text(REST, timeout=30_000)
    watch.stop()
    expect(maria.get_by_text('Maria Lopez')).to_be_visible()  # still signed in

    doctor = person('alice.smith@clinic.example')  # and the page keeps following live changes after the restart
    fill_period(doctor, day, '13:00', '14:00')
    doctor.get_by_test_id('unavailability-submit').click()
    expect(maria.get_by_test_id('slot')).to_have_text(['11:30', *REST[3:]])


def test_the_page_catches_up_after_its_connection_drops(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    alice = person('alice.smith@clinic.example')

    maria.context.set_offline(True)
    fill_period(alice, day, '09:00', '11:30')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(1)
    expect(maria.get_by_test_id('slot')).to_have_count(14)  # offline: still the old list
    watch = Stopwatch('7 connection back -> patient page shows the change made meanwhile')
    maria.context.set_offline(False)

    expect(maria.get_by_test_id('slot')).to_have_text(REST, timeout=30_000)
    watch.stop()
