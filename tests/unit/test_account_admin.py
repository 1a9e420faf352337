"""The front desk's accounts: search, deactivate and reactivate (ending sign-ins, dropping a doctor from booking),
edit a doctor, add an admin, and never deactivate the last active admin, not even when two admins deactivate each other
at once. Every change is audited with the admin as actor."""

import threading

import pytest
from sqlmodel import col, select

from models import AppointmentStatus, Role, User
from services.account_admin import LAST_ADMIN, add_admin, edit_doctor, list_accounts, set_active
from services.accounts import sign_in
from services.audit import audit_trail
from services.availability import InTheWay
from services.booking import book
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.errors import AppointmentsInTheWay, InvalidInputs, NotAllowed, SignInRefused
from services.live.events import Change, DoctorsChanged, ScheduleChanged
from services.notifications import inbox
from services.schedule import list_doctors
from services.sign_ins import person_signed_in, remember_sign_in
from tests.factories import (
    NEXT_MONDAY,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    published,
)

SECOND = 'second.admin@test.example'


def second_admin(clinic) -> int:
    return add_admin(
        clinic, actor_id=admin_id(clinic), email=SECOND, full_name='Sam Second', password='second-admin-pass-7'
    ).id


def test_search_finds_by_name_email_or_phone_and_shows_at_most_the_limit(clinic):
    admin = admin_id(clinic)
    patient = create_patient(clinic, 'Zora Quill')
    doctor = create_doctor(clinic, 'Dr. Quentin Blue')
    assert [row.id for row in list_accounts(clinic, actor_id=admin, search='quill')] == [patient.id]
    assert [row.doctor_id for row in list_accounts(clinic, actor_id=admin, search='QUENTIN')] == [doctor.id]
    assert [row.id for row in list_accounts(clinic, actor_id=admin, search=patient.email)] == [patient.id]
    assert list_accounts(clinic, actor_id=admin, search='%') == []  # a wildcard is only a character
    assert {row.role for row in list_accounts(clinic, actor_id=admin)} == {Role.admin, Role.doctor, Role.patient}
    assert len(list_accounts(clinic, actor_id=admin, limit=2)) == 2


def test_a_deactivated_patient_is_signed_out_and_refused_like_a_wrong_password_until_reactivated(clinic):
    admin, patient = admin_id(clinic), create_patient(clinic)
    remember_sign_in(clinic, browser_id='their-phone', person_id=patient.id)
    assert not set_active(clinic, actor_id=admin, user_id=patient.id, active=False).is_active
    assert person_signed_in(clinic, browser_id='their-phone') is None
    with pytest.raises(SignInRefused, match='Wrong email or password'):
        sign_in(clinic, email=patient.email, password='patient-pass')
    assert set_active(clinic, actor_id=admin, user_id=patient.id, active=True).is_active
    assert sign_in(clinic, email=patient.email, password='patient-pass').id == patient.id
    actions = [entry.action for entry in audit_trail(clinic, actor_id=admin)]
    assert 'account.deactivated' in actions and 'account.reactivated' in actions
    assert {
        entry.actor_name for entry in audit_trail(clinic, actor_id=admin) if entry.action.startswith('account.')
    } == {'Clinic Admin'}


def test_a_deactivated_doctor_leaves_booking_and_open_booking_pages_hear_of_it(clinic):
    admin, doctor = admin_id(clinic), create_doctor(clinic)
    set_active(clinic, actor_id=admin, user_id=doctor.user_id, active=False)
    assert doctor.id not in [card.id for card in list_doctors(clinic)]
    assert published(clinic)[-1] == DoctorsChanged(doctor_id=doctor.id)
    set_active(clinic, actor_id=admin, user_id=doctor.user_id, active=True)
    assert doctor.id in [card.id for card in list_doctors(clinic)]


def test_deactivating_a_doctor_with_bookings_ahead_asks_first_and_cancelling_tells_the_patients(clinic):
    admin, doctor = admin_id(clinic), create_doctor(clinic)
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    first = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    second = book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11))

    with pytest.raises(AppointmentsInTheWay) as asked:
        set_active(clinic, actor_id=admin, user_id=doctor.user_id, active=False)
    assert [a.id for a in asked.value.appointments] == [first.id, second.id]
    assert doctor.id in [card.id for card in list_doctors(clinic)]  # nothing changed before the choice

    set_active(clinic, actor_id=admin, user_id=doctor.user_id, active=False, in_the_way=InTheWay.cancel)
    for patient, appointment in ((maria, first), (james, second)):
        [seen] = [a for a in appointments_seen_by(clinic, patient.id) if a.id == appointment.id]
        assert seen.status is AppointmentStatus.cancelled
        assert seen.cancel_reason == DOCTOR_UNAVAILABLE
        assert inbox(clinic, actor_id=patient.id).unread == 1
    told = {e.patient_ids for e in published(clinic) if isinstance(e, ScheduleChanged) and e.change is Change.cancelled}
    assert told == {frozenset({maria.id}), frozenset({james.id})}  # their open lists and that day's pages update


def test_deactivating_a_patient_may_keep_their_bookings(clinic):
    admin, doctor, maria = admin_id(clinic), create_doctor(clinic), create_patient(clinic, 'Maria')
    kept = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    with pytest.raises(AppointmentsInTheWay):
        set_active(clinic, actor_id=admin, user_id=maria.id, active=False)
    set_active(clinic, actor_id=admin, user_id=maria.id, active=False, in_the_way=InTheWay.keep)
    [seen] = [a for a in appointments_seen_by(clinic, admin) if a.id == kept.id]
    assert seen.status is AppointmentStatus.booked


def test_the_last_active_admin_cannot_be_deactivated(clinic):
    first = admin_id(clinic)
    with pytest.raises(NotAllowed) as refused:  # not even by themself
        set_active(clinic, actor_id=first, user_id=first, active=False)
    assert refused.value.message == LAST_ADMIN
    second = second_admin(clinic)
    set_active(clinic, actor_id=first, user_id=second, active=False)
    with pytest.raises(NotAllowed, match='last active admin'):
        set_active(clinic, actor_id=first, user_id=first, active=False)
    set_active(clinic, actor_id=first, user_id=second, active=True)
    set_active(clinic, actor_id=second, user_id=first, active=False)  # with another admin, one may leave
    with pytest.raises(NotAllowed, match='last active admin'):
        set_active(clinic, actor_id=second, user_id=second, active=False)
    assert sign_in(clinic, email=SECOND, password='second-admin-pass-7').id == second
    assert active_admins(clinic) == [second]


@pytest.mark.parametrize('each_other', [True, False], ids=['each_other', 'themselves'])
def test_two_admins_deactivating_at_once_leave_one(clinic, each_other):
    """Each other, or each themself: whichever goes first, the other is refused (the count is in the transaction)."""
    first, second = admin_id(clinic), second_admin(clinic)
    for _ in range(5):
        barrier = threading.Barrier(2)
        refusals: list[str] = []

        def deactivate(actor: int, user: int, barrier=barrier, refusals=refusals) -> None:
            barrier.wait()
            try:
                set_active(clinic, actor_id=actor, user_id=user, active=False)
            except NotAllowed as refusal:
                refusals.append(refusal.message)

        targets = (second, first) if each_other else (first, second)
        threads = [
            threading.Thread(target=deactivate, args=(actor, user))
            for actor, user in zip((first, second), targets, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(refusals) == 1
        [left] = active_admins(clinic)
        set_active(clinic, actor_id=left, user_id=second if left == first else first, active=True)


def active_admins(clinic) -> list[int]:
    with clinic.db.reading() as session:
        return list(session.exec(select(User.id).where(User.role == Role.admin, col(User.is_active).is_(True))).all())


def test_editing_a_doctor_changes_booking_and_schedules_live(clinic):
    admin, doctor = admin_id(clinic), create_doctor(clinic, 'Dr. Old')
    row = edit_doctor(
        clinic, actor_id=admin, doctor_id=doctor.id, full_name='Dr. New', specialty='Cardiology', slot_minutes=20
    )
    assert (row.full_name, row.specialty, row.slot_minutes) == ('Dr. New', 'Cardiology', 20)
    [card] = [card for card in list_doctors(clinic) if card.id == doctor.id]
    assert (card.full_name, card.specialty, card.slot_minutes) == ('Dr. New', 'Cardiology', 20)
    events = published(clinic)[-2:]
    assert events[0] == DoctorsChanged(doctor_id=doctor.id)
    assert isinstance(events[1], ScheduleChanged) and events[1].doctor_id == doctor.id
    [entry] = [entry for entry in audit_trail(clinic, actor_id=admin) if entry.action == 'doctor.edited']
    assert 'Dr. Old' in entry.before and 'Dr. New' in entry.after
    with pytest.raises(InvalidInputs) as refused:
        edit_doctor(clinic, actor_id=admin, doctor_id=doctor.id, full_name='', specialty='', slot_minutes=7)
    assert {problem.field for problem in refused.value.problems} == {'full_name', 'specialty', 'slot_minutes'}


def test_a_new_admin_follows_the_password_rule_and_is_audited(clinic):
    admin = admin_id(clinic)
    with pytest.raises(InvalidInputs):
        add_admin(clinic, actor_id=admin, email='weak@test.example', full_name='Wea Kling', password='12345678')
    second_admin(clinic)
    assert 'account.admin_added' in [entry.action for entry in audit_trail(clinic, actor_id=admin)]


def test_only_an_admin_manages_accounts(clinic):
    patient, doctor = create_patient(clinic), create_doctor(clinic)
    for actor in (patient.id, doctor.user_id):
        with pytest.raises(NotAllowed):
            list_accounts(clinic, actor_id=actor)
        with pytest.raises(NotAllowed):
            set_active(clinic, actor_id=actor, user_id=patient.id, active=False)
        with pytest.raises(NotAllowed):
            edit_doctor(clinic, actor_id=actor, doctor_id=doctor.id, full_name='X', specialty='Y', slot_minutes=30)
        with pytest.raises(NotAllowed):
            add_admin(clinic, actor_id=actor, email='x@test.example', full_name='X Y', password='second-admin-pass-7')
