"""Kinds of visit: what a doctor offers, what each one books, and the time kept free around them."""

from collections import Counter
from datetime import timedelta
from itertools import combinations

import pytest
from sqlmodel import select

from models import Appointment, AppointmentStatus, AppointmentType
from services.booking import book, reschedule
from services.errors import InvalidInput, InvalidInputs, NotAllowed, NotFound, SlotTaken
from services.live.events import Change, ScheduleChanged
from services.read_models.free_time import day_slots
from services.visit_types import add_visit_type, change_visit_type, retire_visit_type
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, create_patient, create_patients, local, published
from tests.unit.test_no_double_booking import race


def starts(clinic, doctor_id, type_id=None, day=NEXT_MONDAY):
    return [slot.label for slot in day_slots(clinic, doctor_id=doctor_id, day=day).times(type_id)]


def kinds(clinic, doctor_id):
    return [
        (entry.kind.name, entry.kind.minutes)
        for entry in day_slots(clinic, doctor_id=doctor_id, day=NEXT_MONDAY).by_type
    ]


def long_visit(clinic, doctor, **fields):
    return add_visit_type(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, name='Long visit', minutes=60, **fields)


def test_every_doctor_starts_with_a_consultation_as_long_as_their_slot(clinic):
    doctor = create_doctor(clinic, slot_minutes=20)
    assert kinds(clinic, doctor.id) == [('Consultation', 20)]
    assert starts(clinic, doctor.id)[:3] == ['09:00', '09:20', '09:40']


def test_a_long_visit_starts_only_where_it_fits(clinic):
    doctor = create_doctor(clinic)
    kind = long_visit(clinic, doctor)
    assert kinds(clinic, doctor.id) == [('Consultation', 30), ('Long visit', 60)]
    long_starts = starts(clinic, doctor.id, kind.id)
    assert long_starts[:5] == ['09:00', '09:30', '10:00', '10:30', '11:00']
    assert '11:30' not in long_starts and '16:30' not in long_starts
    assert long_starts[-1] == '16:00'


def test_a_long_booking_takes_every_start_it_blocks_from_every_kind(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    kind = long_visit(clinic, doctor)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), type_id=kind.id)
    assert (info.ends_at - info.starts_at, info.type_name) == (timedelta(minutes=60), 'Long visit')
    assert starts(clinic, doctor.id)[:2] == ['10:00', '10:30']  # the 30-minute kind lost 09:00 and 09:30
    assert starts(clinic, doctor.id, kind.id)[0] == '10:00'


def test_buffers_keep_time_free_around_a_visit(clinic):
    doctor, patient, other = create_doctor(clinic), create_patient(clinic), create_patient(clinic, 'Other')
    kind = add_visit_type(
        clinic, actor_id=doctor.user_id, doctor_id=doctor.id, name='Minor surgery', minutes=30, before=10, after=15
    )
    assert starts(clinic, doctor.id, kind.id)[:2] == ['09:30', '10:00']  # 09:00 would need 08:50
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), type_id=kind.id)
    with clinic.db.reading() as session:
        row = session.exec(select(Appointment)).one()
    assert (row.blocked_from, row.blocked_until) == (local(NEXT_MONDAY, 9, 50), local(NEXT_MONDAY, 10, 45))
    consultation = starts(clinic, doctor.id)
    assert '09:00' in consultation and '11:00' in consultation
    assert not {'09:30', '10:00', '10:30'} & set(consultation)  # each would run into 09:50-10:45
    with pytest.raises(SlotTaken):
        book(clinic, actor_id=other.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10, 30))


def test_a_kind_for_the_desk_only_is_not_booked_by_patients(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    desk = admin_id(clinic)
    kind = add_visit_type(
        clinic,
        actor_id=desk,
        doctor_id=doctor.id,
        name='Vaccination',
        minutes=10,
        patients_may_book=False,
    )
    with pytest.raises(InvalidInput, match='does not offer that kind') as refused:
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), type_id=kind.id)
    assert refused.value.field == 'type'
    info = book(
        clinic,
        actor_id=desk,
        patient_id=patient.id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        type_id=kind.id,
    )
    assert (info.ends_at - info.starts_at, info.type_name) == (timedelta(minutes=10), 'Vaccination')


def test_a_move_keeps_the_kind_and_a_new_length_applies_only_to_later_bookings(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    kind = long_visit(clinic, doctor)
    first = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), type_id=kind.id)
    change_visit_type(clinic, actor_id=doctor.user_id, type_id=kind.id, name='Long visit', minutes=45)
    with clinic.db.reading() as session:
        kept = session.get(Appointment, first.id)
    assert (kept.starts_at, kept.ends_at) == (local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10))  # as it was booked
    moved = reschedule(clinic, actor_id=patient.id, appointment_id=first.id, starts_at=local(NEXT_MONDAY, 13))
    assert (moved.type_name, moved.ends_at) == ('Long visit', local(NEXT_MONDAY, 13, 45))


@pytest.mark.parametrize(
    ('fields', 'problem_fields'),
    [
        ({'name': '', 'minutes': 30}, {'type_name'}),
        ({'name': 'X', 'minutes': 7}, {'type_minutes'}),
        ({'name': 'X', 'minutes': 0}, {'type_minutes'}),
        ({'name': 'X', 'minutes': 245}, {'type_minutes'}),
        ({'name': 'X', 'minutes': 'an hour'}, {'type_minutes'}),
        ({'name': 'X', 'minutes': None}, {'type_minutes'}),
        ({'name': 'X', 'minutes': True}, {'type_minutes'}),
        ({'name': 'X', 'minutes': 30, 'before': 3}, {'type_before'}),
        ({'name': 'X', 'minutes': 30, 'after': -5}, {'type_after'}),
        ({'name': 'x' * 81, 'minutes': 2, 'after': 125}, {'type_name', 'type_minutes', 'type_after'}),
    ],
)
def test_a_kind_with_bad_fields_is_refused_with_every_problem_and_nothing_saved(clinic, fields, problem_fields):
    doctor = create_doctor(clinic)
    with pytest.raises(InvalidInput) as refused:
        add_visit_type(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, **fields)
    error = refused.value
    found = {p.field for p in error.problems} if isinstance(error, InvalidInputs) else {error.field}
    assert found == problem_fields
    assert kinds(clinic, doctor.id) == [('Consultation', 30)]


def test_names_are_unique_per_doctor_among_the_kinds_offered(clinic):
    smith, jones = create_doctor(clinic, 'Dr. Smith'), create_doctor(clinic, 'Dr. Jones')
    kind = long_visit(clinic, smith)
    with pytest.raises(InvalidInput, match='already offers a visit named "Long visit"'):
        long_visit(clinic, smith)
    long_visit(clinic, jones)  # another doctor may use the name
    retire_visit_type(clinic, actor_id=smith.user_id, type_id=kind.id)
    long_visit(clinic, smith)  # and so may a new kind once the old one is retired


def test_only_the_doctor_themself_and_the_desk_manage_kinds(clinic):
    smith, jones, patient = (
        create_doctor(clinic, 'Dr. Smith'),
        create_doctor(clinic, 'Dr. Jones'),
        create_patient(clinic),
    )
    for outsider in (jones.user_id, patient.id):
        with pytest.raises(NotAllowed):
            add_visit_type(clinic, actor_id=outsider, doctor_id=smith.id, name='Long visit', minutes=60)
    kind = long_visit(clinic, smith)
    with pytest.raises(NotAllowed):
        change_visit_type(clinic, actor_id=jones.user_id, type_id=kind.id, name='Mine', minutes=5)
    with pytest.raises(NotAllowed):
        retire_visit_type(clinic, actor_id=patient.id, type_id=kind.id)
    retire_visit_type(clinic, actor_id=admin_id(clinic), type_id=kind.id)
    assert kinds(clinic, smith.id) == [('Consultation', 30)]


def test_a_doctor_keeps_a_kind_patients_can_book(clinic):
    doctor = create_doctor(clinic)
    only = day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).by_type[0].kind
    with pytest.raises(InvalidInput, match='at least one kind'):
        retire_visit_type(clinic, actor_id=doctor.user_id, type_id=only.id)
    with pytest.raises(InvalidInput, match='Patients must be able to book'):
        change_visit_type(
            clinic, actor_id=doctor.user_id, type_id=only.id, name='Consultation', minutes=30, patients_may_book=False
        )
    assert kinds(clinic, doctor.id) == [('Consultation', 30)]
    with pytest.raises(NotFound):
        change_visit_type(clinic, actor_id=doctor.user_id, type_id=9999, name='X', minutes=30)


def test_a_retired_kind_keeps_its_bookings_and_each_change_reaches_the_doctors_pages(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    kind = long_visit(clinic, doctor)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), type_id=kind.id)
    retire_visit_type(clinic, actor_id=doctor.user_id, type_id=kind.id, origin='tab')
    with clinic.db.reading() as session:
        kept = session.get(Appointment, info.id)
        assert session.get(AppointmentType, kind.id).retired_at is not None
    assert kept.status is AppointmentStatus.booked and kept.ends_at == local(NEXT_MONDAY, 10)
    assert starts(clinic, doctor.id)[0] == '10:00'  # the kept visit still takes its time
    events = [e for e in published(clinic) if isinstance(e, ScheduleChanged) and e.change is Change.types_changed]
    assert len(events) == 2 and events[-1].origin == 'tab' and events[-1].touches(doctor.id, NEXT_MONDAY)


def test_racing_bookings_of_mixed_lengths_never_overlap_with_their_buffers(clinic):
    """Patients book a 60-minute kind, a 30-minute kind with buffers and the 30-minute default at once, at starts that
    overlap each other: whatever wins, no two kept times overlap."""
    doctor = create_doctor(clinic)
    desk = admin_id(clinic)
    hour = add_visit_type(clinic, actor_id=desk, doctor_id=doctor.id, name='Long visit', minutes=60)
    buffered = add_visit_type(clinic, actor_id=desk, doctor_id=doctor.id, name='Surgery', minutes=30, after=30)
    tries = [  # every kind at every start from 09:00 to 10:30, twice
        (kind, local(NEXT_MONDAY, 9) + timedelta(minutes=30 * step))
        for kind in (hour.id, buffered.id, None)
        for step in range(4)
        for _ in range(2)
    ]
    patients = create_patients(clinic, len(tries))
    attempts = [
        lambda p=patient, k=kind, s=start: book(clinic, actor_id=p.id, doctor_id=doctor.id, starts_at=s, type_id=k)
        for patient, (kind, start) in zip(patients, tries, strict=True)
    ]
    results = race(attempts)
    assert Counter(type(r).__name__ for r in results).keys() <= {'AppointmentInfo', 'SlotTaken'}
    with clinic.db.reading() as session:
        kept = session.exec(select(Appointment).where(Appointment.status == AppointmentStatus.booked)).all()
    assert kept
    for one, other in combinations(kept, 2):
        assert one.blocked_until <= other.blocked_from or other.blocked_until <= one.blocked_from


def test_a_doctor_with_only_the_default_kind_keeps_it_as_long_as_the_slot_wherever_the_slot_changes(clinic):
    from services.account_admin import edit_doctor

    doctor = create_doctor(clinic)
    edit_doctor(
        clinic, actor_id=admin_id(clinic), doctor_id=doctor.id, full_name='Dr. Test', specialty='GP', slot_minutes=15
    )
    assert kinds(clinic, doctor.id) == [('Consultation', 15)]
    long_visit(clinic, doctor)  # with a kind of their own, the slot length is only the grid
    edit_doctor(
        clinic, actor_id=admin_id(clinic), doctor_id=doctor.id, full_name='Dr. Test', specialty='GP', slot_minutes=30
    )
    assert kinds(clinic, doctor.id) == [('Consultation', 15), ('Long visit', 60)]
