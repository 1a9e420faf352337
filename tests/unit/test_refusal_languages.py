"""A refusal reads wholly in its reader's language, the days and spans of time inside it too: the pseudo-locale
`qps` wraps every translated piece in ⟦markers⟧, so a piece worded in English inside a translated sentence shows
as unwrapped text; and in German the weekday and month are German."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from services.availability import mark_unavailable
from services.booking import NothingFreeToday, book_walk_in, require_bookable_day
from services.desk import register_patient_at_desk
from services.errors import ClinicError, InvalidInput, InvalidPeriod
from services.i18n import PSEUDO
from services.local_time import parse_moment
from tests.factories import NEXT_MONDAY, NOW, admin_id, create_doctor, local

BERLIN = ZoneInfo('Europe/Berlin')


def refusal(call) -> ClinicError:
    with pytest.raises(ClinicError) as refused:
        call()
    return refused.value


def test_a_day_inside_a_refusal_is_worded_in_the_readers_language(clinic):
    last = NOW.astimezone(clinic.tz).date() + timedelta(days=clinic.settings.booking_horizon_days)
    error = refusal(lambda: require_bookable_day(clinic, last + timedelta(days=1)))
    english = f'{last:%A} {last.day} {last:%B %Y}'
    assert error.in_language('en') == f'Bookings open 60 days ahead. Choose a day up to {english}.'
    assert error.in_language(PSEUDO) == f'⟦Bookings open 60 days ahead. Choose a day up to ⟦{english}⟧.⟧'
    assert 'Januar 2027' in error.in_language('de') and 'enero de 2027' in error.in_language('es')


def test_a_span_inside_a_refusal_is_worded_in_the_readers_language(clinic):
    doctor = create_doctor(clinic)
    start, end = local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30)
    mark_unavailable(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, starts_at=start, ends_at=end)
    error = refusal(
        lambda: mark_unavailable(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, starts_at=start, ends_at=end)
    )
    assert isinstance(error, InvalidPeriod)
    assert error.in_language('en') == 'This time is already marked unavailable (Mon 30 Nov 2026, 09:00 – 11:30).'
    assert error.in_language(PSEUDO) == '⟦This time is already marked unavailable (⟦Mon 30 Nov 2026, 09:00⟧ – 11:30).⟧'
    assert 'Mo., 30. Nov. 2026, 09:00 – 11:30' in error.in_language('de')


def test_why_a_doctor_has_no_free_time_today_is_worded_in_the_readers_language(clinic):
    desk, doctor = admin_id(clinic), create_doctor(clinic, 'Dr. Bob')
    walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567')
    saturday = NOW.astimezone(clinic.tz).date() + timedelta(days=3)
    clinic.clock.set(local(saturday, 10))
    error = refusal(lambda: book_walk_in(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=doctor.id))
    assert isinstance(error, NothingFreeToday)
    assert error.in_language('en') == 'Dr. Bob has no free time left today. Dr. Bob does not work on Saturdays.'
    assert error.in_language(PSEUDO) == ('⟦Dr. Bob has no free time left today. ⟦Dr. Bob does not work on Saturdays.⟧⟧')
    assert 'samstag' in error.in_language('de').lower() and 'sábado' in error.in_language('es').lower()


def test_a_time_the_clocks_skip_is_refused_with_the_day_in_the_readers_language():
    with pytest.raises(InvalidInput) as refused:
        parse_moment('2026-03-29 02:30', BERLIN, field='starts_at')
    assert (
        refused.value.in_language('en') == '02:30 does not exist on Sunday 29 March 2026: the clocks jump forward then.'
    )
    assert '⟦Sunday 29 March 2026⟧' in refused.value.in_language(PSEUDO)
    assert 'März 2026' in refused.value.in_language('de')
