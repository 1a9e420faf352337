"""Every change to availability and appointments leaves an audit record, in the same transaction."""

import json
from datetime import timedelta

import pytest

from services.appointments import mark_no_show
from services.audit import audit_trail
from services.availability import InTheWay, mark_unavailable, remove_unavailability, update_unavailability
from services.booking import book, cancel, reschedule
from services.errors import NotAllowed, SlotTaken
from services.schedule import parse_ranges, set_working_hours
from services.time_rules import complete_finished_appointments
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, create_patient, local


def test_each_change_is_recorded_with_who_what_before_and_after(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    admin = admin_id(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='Cough')
    reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 11))
    period = mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 14),
        ends_at=local(NEXT_MONDAY, 15),
    )
    update_unavailability(
        clinic,
        actor_id=admin,
        period_id=period.id,
        starts_at=local(NEXT_MONDAY, 14),
        ends_at=local(NEXT_MONDAY, 16),
        note='longer',
    )
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=period.id)
    set_working_hours(
        clinic, actor_id=admin, doctor_id=doctor.id, hours={0: parse_ranges('09:00-12:00', weekday=0)}, slot_minutes=30
    )
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 12),
        in_the_way=InTheWay.cancel,
    )
    second = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(7), 9))
    cancel(clinic, actor_id=patient.id, appointment_id=second.id)
    third = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(7), 10))
    clinic.clock.set(local(NEXT_MONDAY + timedelta(7), 10, 5))
    mark_no_show(clinic, actor_id=doctor.user_id, appointment_id=third.id)
    fourth = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(7), 11))
    clinic.clock.set(local(NEXT_MONDAY + timedelta(7), 12))
    complete_finished_appointments(clinic)

    entries = list(reversed(audit_trail(clinic, actor_id=admin)))
    assert [(e.action, e.actor_name) for e in entries] == [
        ('appointment.booked', 'Maria'),
        ('appointment.moved', 'Maria'),
        ('period.added', 'Dr. Alice Smith'),
        ('period.changed', 'Clinic Admin'),
        ('period.removed', 'Dr. Alice Smith'),
        ('hours.changed', 'Clinic Admin'),
        ('appointment.cancelled', 'Dr. Alice Smith'),
        ('period.added', 'Dr. Alice Smith'),
        ('appointment.booked', 'Maria'),
        ('appointment.cancelled', 'Maria'),
        ('appointment.booked', 'Maria'),
        ('appointment.no_show', 'Dr. Alice Smith'),
        ('appointment.booked', 'Maria'),
        ('appointment.completed', 'The clinic'),
    ]
    moved = entries[1]
    assert json.loads(moved.before)['starts_at'] == local(NEXT_MONDAY, 10).astimezone(moved.at.tzinfo).isoformat()
    assert json.loads(moved.after)['starts_at'].startswith(f'{NEXT_MONDAY}T10:00')  # 11:00 Berlin in UTC
    changed = entries[3]
    assert json.loads(changed.before)['note'] == '' and json.loads(changed.after)['note'] == 'longer'
    assert entries[-1].appointment_id == fourth.id


def test_a_refused_change_leaves_no_record(clinic):
    doctor, first, second = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    book(clinic, actor_id=first.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    with pytest.raises(SlotTaken):
        book(clinic, actor_id=second.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    assert [e.action for e in audit_trail(clinic, actor_id=admin_id(clinic))] == ['appointment.booked']


def test_the_trail_filters_by_doctor_action_and_day_and_is_for_admins_only(clinic):
    alice, bob = create_doctor(clinic, 'Dr. Alice'), create_doctor(clinic, 'Dr. Bob')
    patient = create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 10))
    mark_unavailable(
        clinic, actor_id=bob.user_id, doctor_id=bob.id, starts_at=local(NEXT_MONDAY, 9), ends_at=local(NEXT_MONDAY, 10)
    )
    admin = admin_id(clinic)
    assert [e.action for e in audit_trail(clinic, actor_id=admin, doctor_id=bob.id)] == ['period.added']
    assert [e.doctor_id for e in audit_trail(clinic, actor_id=admin, action='appointment')] == [alice.id]
    today = clinic.now().astimezone(clinic.tz).date()
    assert len(audit_trail(clinic, actor_id=admin, day=today)) == 2
    assert audit_trail(clinic, actor_id=admin, day=today - timedelta(days=1)) == []
    for outsider in (patient.id, alice.user_id):
        with pytest.raises(NotAllowed):
            audit_trail(clinic, actor_id=outsider)
