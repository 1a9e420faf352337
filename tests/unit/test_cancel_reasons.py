"""Staff who cancel give the patient a reason from a short list; a doctor's private reason for a block never
reaches the patient."""

import pytest

from models import AppointmentStatus, UnavailabilityReason
from services.availability import InTheWay, mark_unavailable
from services.booking import book, cancel
from services.cancel_reasons import STAFF_CANCEL_REASONS
from services.errors import InvalidInput
from services.notifications import inbox
from services.outbox import send_due
from tests.factories import (
    NEXT_MONDAY,
    Mailbox,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    make_clinic,
)


def booked(clinic, doctor, patient, hour=10):
    return book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, hour))


def test_staff_reasons_are_a_short_fixed_list():
    assert 3 <= len(STAFF_CANCEL_REASONS) <= 8
    assert 'The doctor is unavailable at that time.' in STAFF_CANCEL_REASONS


@pytest.mark.parametrize('who', ['doctor', 'admin'])
def test_staff_give_a_reason_from_the_list_and_the_patient_sees_it(clinic, who):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    info = booked(clinic, doctor, patient)
    actor = doctor.user_id if who == 'doctor' else admin_id(clinic)
    reason = 'Please book a new time.'
    cancel(clinic, actor_id=actor, appointment_id=info.id, reason=reason)
    [row] = appointments_seen_by(clinic, patient.id)
    assert row.status is AppointmentStatus.cancelled and row.cancel_reason == reason
    [message] = inbox(clinic, actor_id=patient.id).messages
    assert message.text.startswith('Your appointment with Dr. Alice Smith on') and message.text.endswith(reason)


def test_staff_may_not_make_up_a_reason(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = booked(clinic, doctor, patient)
    for actor in (doctor.user_id, admin_id(clinic)):
        with pytest.raises(InvalidInput, match='Choose the reason the patient will see') as refused:
            cancel(clinic, actor_id=actor, appointment_id=info.id, reason='You are a nuisance')
        assert refused.value.field == 'cancel_reason'
    [row] = appointments_seen_by(clinic, patient.id)
    assert row.status is AppointmentStatus.booked
    assert inbox(clinic, actor_id=patient.id).messages == ()


def test_a_patient_cancelling_their_own_gets_no_message(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic, 'Maria')
    info = booked(clinic, doctor, patient)
    cancel(clinic, actor_id=patient.id, appointment_id=info.id)
    [row] = appointments_seen_by(clinic, patient.id)
    assert row.status is AppointmentStatus.cancelled and row.cancelled_by == 'Maria'
    assert inbox(clinic, actor_id=patient.id).messages == ()


@pytest.mark.parametrize('reason', list(UnavailabilityReason))
def test_a_block_tells_the_patient_the_doctor_is_unavailable_never_why(clinic, reason):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
    booked(clinic, doctor, patient)
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 12),
        reason=reason,
        note='Sick leave: flu',
        in_the_way=InTheWay.cancel,
    )
    [row] = appointments_seen_by(clinic, patient.id)
    [message] = inbox(clinic, actor_id=patient.id).messages
    for text in (row.cancel_reason, message.text):
        assert 'The doctor is unavailable at that time.' in text
        assert reason.value not in text.replace('unavailable', '') and 'flu' not in text and 'ick' not in text


def test_patients_cancelled_by_a_block_or_by_staff_are_emailed_the_reason_never_the_doctors_note(
    tmp_path, database_url
):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, **mailbox.settings)
        doctor = create_doctor(clinic, 'Dr. Alice Smith')
        maria, james, ana = create_patient(clinic, 'Maria'), create_patient(clinic, 'James'), create_patient(clinic)
        booked(clinic, doctor, maria, 9)
        mark_unavailable(
            clinic,
            actor_id=doctor.user_id,
            doctor_id=doctor.id,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 10),
            note='Sick leave',
            in_the_way=InTheWay.cancel,
        )
        info = booked(clinic, doctor, james, 11)
        cancel(clinic, actor_id=admin_id(clinic), appointment_id=info.id, reason='Please book a new time.')
        own = booked(clinic, doctor, ana, 13)
        cancel(clinic, actor_id=ana.id, appointment_id=own.id)
        send_due(clinic)
        clinic.db.dispose()

    def text(mail):
        return next(part for part in mail.walk() if part.get_content_type() == 'text/plain').get_content()

    [_, to_maria] = mailbox.to(maria.email)  # booked, then cancelled
    assert '09:00' in to_maria['Subject'] and to_maria['Subject'].startswith('Cancelled')
    assert 'The doctor is unavailable at that time.' in text(to_maria)
    assert 'ick' not in text(to_maria)
    [_, to_james] = mailbox.to(james.email)
    assert 'Please book a new time.' in text(to_james)
    [_, to_ana] = mailbox.to(ana.email)  # her own cancellation is confirmed too, with no reason of the clinic's
    assert to_ana['Subject'].startswith('Cancelled') and 'book another time' in text(to_ana).lower()
