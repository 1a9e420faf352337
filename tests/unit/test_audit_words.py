"""The admin reads the audit trail as words: what happened, a readable before and after, in clinic-local time."""

from datetime import timedelta

from services.appointments import mark_no_show
from services.audit_words import ACTION_WORDS, audit_in_words
from services.availability import mark_unavailable, remove_unavailability, update_unavailability
from services.booking import book, cancel, reschedule
from services.schedule import parse_ranges, set_working_hours
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, create_patient, local

TUESDAY = NEXT_MONDAY + timedelta(days=1)  # Tuesday 1 December 2026


def test_each_record_reads_as_words_in_clinic_local_time(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria Lopez')
    admin = admin_id(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='Cough')
    reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 11))
    cancel(clinic, actor_id=patient.id, appointment_id=info.id)
    period = mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(TUESDAY, 9),
        ends_at=local(TUESDAY, 11, 30),
    )
    update_unavailability(
        clinic,
        actor_id=admin,
        period_id=period.id,
        starts_at=local(TUESDAY, 9),
        ends_at=local(TUESDAY, 12),
        note='longer',
    )
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=period.id)
    standard = {day: parse_ranges('09:00-12:00, 13:00-17:00', weekday=day) for day in range(5)}
    set_working_hours(clinic, actor_id=admin, doctor_id=doctor.id, hours={**standard, 2: []}, slot_minutes=20)
    third = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(TUESDAY, 10))
    clinic.clock.set(local(TUESDAY, 10, 5))
    mark_no_show(clinic, actor_id=doctor.user_id, appointment_id=third.id)

    lines = list(reversed(audit_in_words(clinic, actor_id=admin)))
    assert [(line.what, line.who, line.doctor) for line in lines] == [
        ('Appointment booked', 'Maria Lopez', 'Dr. Alice Smith'),
        ('Appointment moved', 'Maria Lopez', 'Dr. Alice Smith'),
        ('Appointment cancelled', 'Maria Lopez', 'Dr. Alice Smith'),
        ('Unavailable period added', 'Dr. Alice Smith', 'Dr. Alice Smith'),
        ('Unavailable period changed', 'Clinic Admin', 'Dr. Alice Smith'),
        ('Unavailable period removed', 'Dr. Alice Smith', 'Dr. Alice Smith'),
        ('Working hours changed', 'Clinic Admin', 'Dr. Alice Smith'),
        ('Appointment booked', 'Maria Lopez', 'Dr. Alice Smith'),
        ('Marked as no-show', 'Dr. Alice Smith', 'Dr. Alice Smith'),
    ]
    assert [line.change for line in lines] == [
        'Mon 30 Nov 10:00–10:30, Maria Lopez. Reason: Cough',
        'From Mon 30 Nov 10:00–10:30 to Mon 30 Nov 11:00–11:30',
        'Mon 30 Nov 11:00–11:30, Maria Lopez',
        'Tue 1 Dec 09:00–11:30 (Other)',
        'From Tue 1 Dec 09:00–11:30 to Tue 1 Dec 09:00–12:00; Note: none → “longer”',
        'Tue 1 Dec 09:00–12:00 (Other, “longer”)',
        'Working hours: Wed 09:00–12:00, 13:00–17:00 → day off. Slot length: 30 → 20 minutes',
        'Tue 1 Dec 10:00–10:20, Maria Lopez',
        'Tue 1 Dec 10:00–10:20, Maria Lopez',
    ]
    assert lines[0].when == 'Wed 25 Nov 2026, 09:00'  # the clinic's clock, 08:00 UTC, in Berlin
    assert all('{' not in line.change and '.' not in line.what for line in lines)


def test_the_filter_takes_the_action_the_words_name(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    mark_unavailable(
        clinic, actor_id=doctor.user_id, doctor_id=doctor.id, starts_at=local(TUESDAY, 9), ends_at=local(TUESDAY, 10)
    )
    booked = next(code for code, words in ACTION_WORDS.items() if words == 'Appointment booked')
    assert [line.what for line in audit_in_words(clinic, actor_id=admin_id(clinic), action=booked)] == [
        'Appointment booked'
    ]
