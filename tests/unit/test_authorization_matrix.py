"""Who may do what: every service use case, for anonymous, patient (own and another's), doctor (own and another
doctor's) and admin. Every cell is asserted: allowed, or refused with a clinic error and nothing changed."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import (
    Appointment,
    AuditRecord,
    Doctor,
    Notification,
    PasswordReset,
    Unavailability,
    User,
    WaitlistEntry,
    WorkingHours,
)
from services.account_admin import add_admin, edit_doctor, list_accounts, set_active
from services.accounts import create_doctor as create_doctor_account
from services.agenda import doctor_agenda, doctor_week
from services.appointments import appointment_list_key, appointment_of, mark_no_show
from services.availability import mark_unavailable, remove_unavailability, update_unavailability
from services.booking import book, book_walk_in, cancel, reschedule
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.desk import patient_card, register_patient_at_desk, search_patients
from services.errors import NotAllowed, NotFound
from services.front_desk_list import export_appointments, front_desk_filter
from services.notifications import inbox, mark_read
from services.offers import accept_offer, decline_offer, leave_waitlist, offer_time_to
from services.password_resets import desk_reset_link
from services.profiles import change_password, profile_of, update_profile
from services.read_models.appointments import AppointmentFilter
from services.schedule import doctor_schedule, own_doctor_id, parse_ranges, set_working_hours
from services.waitlist import join_waitlist, waitlist_of_doctor, watch_for_earlier
from tests.factories import NEXT_MONDAY, admin_id, appointments_seen_by, create_doctor, create_patient, local

ROLES = ['anonymous', 'patient', 'other patient', 'doctor', 'other doctor', 'admin']
TABLES = (
    Appointment,
    Unavailability,
    WorkingHours,
    User,
    Doctor,
    Notification,
    AuditRecord,
    PasswordReset,
    WaitlistEntry,
)
TUESDAY = NEXT_MONDAY + timedelta(days=1)
WEDNESDAY = NEXT_MONDAY + timedelta(days=2)  # the doctor's day is blocked: patients wait for it

# For each use case: the roles that may do it; every other role must be refused.
MATRIX = {
    'book': {'patient', 'other patient'},
    'cancel': {'patient', 'doctor', 'admin'},
    'reschedule': {'patient', 'admin'},
    'see the appointment to move it': {'patient', 'admin'},
    'book for a patient': {'admin'},
    'book a walk-in': {'admin'},
    'search patients': {'admin'},
    'see a patient at the desk': {'admin'},
    'register a patient at the desk': {'admin'},
    'list appointments': {'patient', 'other patient', 'doctor', 'other doctor', 'admin'},
    'mark unavailable': {'doctor', 'admin'},
    'change a period': {'doctor', 'admin'},
    'remove a period': {'doctor', 'admin'},
    'set working hours': {'doctor', 'admin'},
    'open the schedule': {'doctor', 'admin'},
    'read the agenda': {'doctor', 'admin'},
    'read the week agenda': {'doctor', 'admin'},
    'own doctor id': {'doctor', 'other doctor'},
    'create a doctor': {'admin'},
    'mark a no-show': {'doctor', 'admin'},
    'read the inbox': {'patient', 'other patient', 'doctor', 'other doctor', 'admin'},
    'mark the inbox read': {'patient', 'other patient', 'doctor', 'other doctor', 'admin'},
    'filter the front desk list': {'admin'},
    'export appointments': {'admin'},
    'list accounts': {'admin'},
    'deactivate an account': {'admin'},
    'edit a doctor': {'admin'},
    'add an admin': {'admin'},
    'give a patient a password link': {'admin'},
    'see own profile': {'patient', 'other patient', 'doctor', 'other doctor', 'admin'},
    'change own name and phone': {'patient', 'other patient', 'doctor', 'other doctor', 'admin'},
    'change own password': {'patient', 'other patient', 'doctor', 'other doctor', 'admin'},
    'join the waitlist': {'patient', 'other patient'},
    'put a patient on the waitlist': {'admin'},
    'wait for an earlier time': {'patient', 'admin'},
    "see a doctor's waitlist": {'doctor', 'admin'},
    'leave the waitlist': {'patient', 'admin'},
    'offer a time to a waiting patient': {'admin'},
    'accept an offer': {'patient', 'admin'},
    'decline an offer': {'patient', 'admin'},
}
PASSWORDS = {'patient': 'patient-pass', 'doctor': 'doctor-pass', 'admin': 'admin-pass-1'}  # tests/factories.py


@pytest.fixture
def world(clinic):
    doctor, other_doctor = create_doctor(clinic, 'Dr. Own'), create_doctor(clinic, 'Dr. Other')
    patient, other_patient = create_patient(clinic, 'Pat'), create_patient(clinic, 'Otto')
    caller = create_patient(clinic, 'Cal')  # the front desk's use cases act for this patient
    appointment = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    period = mark_unavailable(
        clinic, actor_id=doctor.user_id, doctor_id=doctor.id, starts_at=local(TUESDAY, 9), ends_at=local(TUESDAY, 10)
    )
    for start, end in ((local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10)), (local(WEDNESDAY, 9), local(WEDNESDAY, 17))):
        mark_unavailable(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, starts_at=start, ends_at=end)
    waiting = join_waitlist(clinic, actor_id=patient.id, doctor_id=doctor.id, first_day=WEDNESDAY)
    offered = join_waitlist(clinic, actor_id=patient.id, doctor_id=doctor.id, first_day=WEDNESDAY, earliest='13:00')
    hold = offer_time_to(clinic, actor_id=admin_id(clinic), entry_id=offered.id, starts_at=local(NEXT_MONDAY, 15, 30))
    actors = {
        'anonymous': None,
        'patient': patient.id,
        'other patient': other_patient.id,
        'doctor': doctor.user_id,
        'other doctor': other_doctor.user_id,
        'admin': admin_id(clinic),
    }
    passwords = {actor: PASSWORDS[role.split()[-1]] for role, actor in actors.items() if actor is not None}
    return dict(
        clinic=clinic,
        doctor=doctor,
        appointment=appointment,
        period=period,
        waiting=waiting,
        hold=hold,
        actors=actors,
        caller=caller,
        passwords=passwords,
    )


def attempt(world, use_case: str, actor):
    clinic, doctor, appointment, period = world['clinic'], world['doctor'], world['appointment'], world['period']
    caller = world['caller']
    hours = {0: parse_ranges('08:00-12:00', weekday=0)}
    actions = {
        'book': lambda: book(
            clinic, actor_id=actor, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11), second_that_day=True
        ),
        'cancel': lambda: cancel(clinic, actor_id=actor, appointment_id=appointment.id, reason=DOCTOR_UNAVAILABLE),
        'reschedule': lambda: reschedule(
            clinic, actor_id=actor, appointment_id=appointment.id, starts_at=local(NEXT_MONDAY, 14)
        ),
        'see the appointment to move it': lambda: appointment_of(clinic, actor_id=actor, appointment_id=appointment.id),
        'list appointments': lambda: appointment_list_key(clinic, actor_id=actor),
        'mark unavailable': lambda: mark_unavailable(
            clinic, actor_id=actor, doctor_id=doctor.id, starts_at=local(TUESDAY, 13), ends_at=local(TUESDAY, 14)
        ),
        'change a period': lambda: update_unavailability(
            clinic, actor_id=actor, period_id=period.id, starts_at=local(TUESDAY, 15), ends_at=local(TUESDAY, 16)
        ),
        'remove a period': lambda: remove_unavailability(clinic, actor_id=actor, period_id=period.id),
        'set working hours': lambda: set_working_hours(
            clinic, actor_id=actor, doctor_id=doctor.id, hours=hours, slot_minutes=30
        ),
        'open the schedule': lambda: doctor_schedule(clinic, actor_id=actor, doctor_id=doctor.id),
        'read the agenda': lambda: doctor_agenda(clinic, actor_id=actor, doctor_id=doctor.id, day=NEXT_MONDAY),
        'read the week agenda': lambda: doctor_week(clinic, actor_id=actor, doctor_id=doctor.id, day=NEXT_MONDAY),
        'own doctor id': lambda: own_doctor_id(clinic, actor_id=actor),
        'create a doctor': lambda: create_doctor_account(
            clinic,
            actor_id=actor,
            email='new@clinic.example',
            full_name='Dr. New',
            specialty='ENT',
            password='new-pass-1',
        ),
        'mark a no-show': lambda: mark_no_show(clinic, actor_id=actor, appointment_id=appointment.id),
        'read the inbox': lambda: inbox(clinic, actor_id=actor),
        'mark the inbox read': lambda: mark_read(clinic, actor_id=actor),
        'book for a patient': lambda: book(
            clinic, actor_id=actor, patient_id=caller.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11)
        ),
        'book a walk-in': lambda: book_walk_in(clinic, actor_id=actor, patient_id=caller.id, doctor_id=doctor.id),
        'search patients': lambda: search_patients(clinic, actor_id=actor, text='Cal'),
        'see a patient at the desk': lambda: patient_card(clinic, actor_id=actor, patient_id=caller.id),
        'register a patient at the desk': lambda: register_patient_at_desk(
            clinic, actor_id=actor, full_name='Wal King', phone='030 1234567'
        ),
        'filter the front desk list': lambda: front_desk_filter(
            clinic,
            actor_id=actor,
            doctor_id=None,
            first_day='2026-11-30',
            last_day='2026-12-13',
            status='all',
            patient='',
        ),
        'export appointments': lambda: export_appointments(
            clinic, actor_id=actor, which=AppointmentFilter(first_day=NEXT_MONDAY, last_day=TUESDAY)
        ),
        'list accounts': lambda: list_accounts(clinic, actor_id=actor, search='Cal'),
        'deactivate an account': lambda: set_active(clinic, actor_id=actor, user_id=caller.id, active=False),
        'edit a doctor': lambda: edit_doctor(
            clinic, actor_id=actor, doctor_id=doctor.id, full_name='Dr. Renamed', specialty='ENT', slot_minutes=20
        ),
        'add an admin': lambda: add_admin(
            clinic, actor_id=actor, email='second@clinic.example', full_name='Sec Ond', password='second-admin-pass-7'
        ),
        'give a patient a password link': lambda: desk_reset_link(clinic, actor_id=actor, user_id=caller.id),
        'see own profile': lambda: profile_of(clinic, actor_id=actor),
        'change own name and phone': lambda: update_profile(
            clinic, actor_id=actor, full_name='Someone Else', phone='030 7654321'
        ),
        'change own password': lambda: change_password(
            clinic,
            actor_id=actor,
            browser_id='this browser',
            current=world['passwords'].get(actor, 'no-password'),
            new='fresh-harbour-lights-4',
        ),
    }
    waiting, hold = world['waiting'], world['hold']
    actions |= {
        'join the waitlist': lambda: join_waitlist(clinic, actor_id=actor, doctor_id=doctor.id, first_day=WEDNESDAY),
        'put a patient on the waitlist': lambda: join_waitlist(
            clinic, actor_id=actor, doctor_id=doctor.id, first_day=WEDNESDAY, patient_id=caller.id
        ),
        'wait for an earlier time': lambda: watch_for_earlier(clinic, actor_id=actor, appointment_id=appointment.id),
        "see a doctor's waitlist": lambda: waitlist_of_doctor(clinic, actor_id=actor, doctor_id=doctor.id),
        'leave the waitlist': lambda: leave_waitlist(clinic, actor_id=actor, entry_id=waiting.id),
        'offer a time to a waiting patient': lambda: offer_time_to(
            clinic, actor_id=actor, entry_id=waiting.id, starts_at=local(NEXT_MONDAY, 16)
        ),
        'accept an offer': lambda: accept_offer(clinic, actor_id=actor, hold_id=hold.hold_id),
        'decline an offer': lambda: decline_offer(clinic, actor_id=actor, hold_id=hold.hold_id),
    }
    if use_case == 'wait for an earlier time':
        clinic.clock.set(local(NEXT_MONDAY, 8))  # nothing earlier is free: 09:00-10:00 is blocked
    if use_case == 'mark a no-show':
        clinic.clock.set(local(NEXT_MONDAY, 10, 5))  # only possible once the appointment started
    return actions[use_case]()


def snapshot(clinic):
    with clinic.db.reading() as session:
        return [sorted(repr(row.model_dump()) for row in session.exec(select(table))) for table in TABLES]


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('use_case', list(MATRIX))
def test_each_cell_is_allowed_or_refused_and_changes_nothing(world, use_case, role):
    clinic, actor = world['clinic'], world['actors'][role]
    if role in MATRIX[use_case]:
        attempt(world, use_case, actor)
        return
    before = snapshot(clinic)
    with pytest.raises((NotAllowed, NotFound)):
        attempt(world, use_case, actor)
    assert snapshot(clinic) == before


def test_a_patient_sees_only_their_own_appointments_and_names(world):
    clinic, actors = world['clinic'], world['actors']
    assert [a.patient_name for a in appointments_seen_by(clinic, actors['patient'])] == ['Pat']
    assert appointments_seen_by(clinic, actors['other patient']) == ()
    assert appointments_seen_by(clinic, actors['other doctor']) == ()
