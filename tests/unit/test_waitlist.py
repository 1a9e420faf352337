"""The waitlist on SQLite and PostgreSQL: time that frees up is held for the first waiting patient it suits, in the
order they joined; accepting books it (or moves the patient's appointment earlier), declining or letting it run out
passes it on, and the database never lets a held time be booked by anyone else."""

import threading
from datetime import timedelta
from functools import partial

import pytest
from sqlmodel import select

from models import Appointment, AppointmentStatus, WaitlistEntry, WaitStatus
from services.account_admin import set_active
from services.availability import InTheWay, mark_unavailable, remove_unavailability
from services.booking import book, cancel
from services.errors import InvalidInput, NotAllowed, NotFound, SlotTaken
from services.live.events import Change, ScheduleChanged
from services.offers import (
    GONE,
    accept_offer,
    decline_offer,
    expire_offers,
    leave_waitlist,
    offer_freed_time,
    offer_time_to,
    offers_of_patient,
)
from services.read_models.free_time import day_slots
from services.read_models.inboxes import inbox_of
from services.startup import open_clinic
from services.waitlist import join_waitlist, waitlist_of_doctor, waitlist_of_patient, watch_for_earlier
from tests.factories import (
    NEXT_MONDAY,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    make_clinic,
    published,
)


@pytest.fixture
def clinic(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url, max_bookings_per_doctor_day=20, max_future_bookings=50)
    yield clinic
    clinic.db.dispose()


@pytest.fixture
def full_monday(clinic):
    return make_full_monday(clinic)


def make_full_monday(clinic):
    """Dr. Smith's Monday is full: 09:00 booked by Xavier, the rest blocked (patients then join the waitlist)."""
    doctor = create_doctor(clinic, 'Dr. Alice Smith')
    xavier = create_patient(clinic, 'Xavier')
    booked = book(clinic, actor_id=xavier.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    block = mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9, 30),
        ends_at=local(NEXT_MONDAY, 17),
        in_the_way=InTheWay.keep,
    )
    return doctor, xavier, booked, block


def free_times(clinic, doctor, day=NEXT_MONDAY):
    return [slot.label for slot in day_slots(clinic, doctor_id=doctor.id, day=day).slots]


def join(clinic, patient, doctor, earliest='', latest='', day=NEXT_MONDAY):
    return join_waitlist(
        clinic, actor_id=patient.id, doctor_id=doctor.id, first_day=day, earliest=earliest, latest=latest
    )


def entry_status(clinic, entry):
    with clinic.db.reading() as session:
        return session.get(WaitlistEntry, entry.id).status


def freed(clinic, doctor, day=NEXT_MONDAY):
    """What the leading process does after a change that may free time on the day."""
    return offer_freed_time(clinic, doctor_id=doctor.id, first_day=day, last_day=day)


def test_freed_time_is_held_for_the_first_entry_it_suits_in_the_order_they_joined(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    afternoon, maria, james = create_patient(clinic, 'Ana'), create_patient(clinic, 'Maria'), create_patient(clinic)
    ana_entry = join(clinic, afternoon, doctor, '14:00', '15:00')  # first in line, but 09:00 does not suit her
    maria_entry = join(clinic, maria, doctor, '09:00', '12:00')
    james_entry = join(clinic, james, doctor, '09:00', '12:00')
    assert [e.patient_name for e in waitlist_of_doctor(clinic, actor_id=doctor.user_id, doctor_id=doctor.id)] == [
        'Ana',
        'Maria',
        'Pat Patient',
    ]

    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)  # held for the waitlist in the same transaction
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    assert freed(clinic, doctor) == ()  # nothing left for the leading process to do
    assert (offer.patient_id, offer.starts_at) == (maria.id, local(NEXT_MONDAY, 9))
    assert offer.held_until == clinic.now() + timedelta(minutes=10)
    assert free_times(clinic, doctor) == []  # held: bookable by no one
    assert [entry_status(clinic, e) for e in (ana_entry, maria_entry, james_entry)] == [
        WaitStatus.waiting,
        WaitStatus.offered,
        WaitStatus.waiting,
    ]
    assert [o.hold_id for o in offers_of_patient(clinic, actor_id=maria.id)] == [offer.hold_id]
    assert offers_of_patient(clinic, actor_id=james.id) == ()
    with pytest.raises(SlotTaken):
        book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    assert appointments_seen_by(clinic, maria.id) == ()  # an offer is not an appointment until accepted
    held = [e for e in published(clinic) if isinstance(e, ScheduleChanged) and e.change is Change.offered]
    assert held[-1].actor_id is None and held[-1].patient_ids == {maria.id}  # live, and quiet for the others


def test_accepting_books_the_held_time_and_ends_the_entry(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    maria = create_patient(clinic, 'Maria')
    entry = join(clinic, maria, doctor, '09:00', '12:00')
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    info = accept_offer(clinic, actor_id=maria.id, hold_id=offer.hold_id)
    assert (info.id, info.status, info.starts_at) == (offer.hold_id, AppointmentStatus.booked, local(NEXT_MONDAY, 9))
    assert [a.id for a in appointments_seen_by(clinic, maria.id)] == [info.id]
    assert entry_status(clinic, entry) is WaitStatus.served
    with pytest.raises(InvalidInput, match='no longer open'):
        accept_offer(clinic, actor_id=maria.id, hold_id=offer.hold_id)  # once


def test_declining_or_not_answering_passes_the_time_on_and_with_no_one_left_it_is_free(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    maria_entry, james_entry = join(clinic, maria, doctor, '09:00', '12:00'), join(clinic, james, doctor)
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [to_maria] = offers_of_patient(clinic, actor_id=maria.id)
    decline_offer(clinic, actor_id=maria.id, hold_id=to_maria.hold_id)
    assert entry_status(clinic, maria_entry) is WaitStatus.left
    [to_james] = offers_of_patient(clinic, actor_id=james.id)  # passed on in the same transaction
    assert to_james.patient_id == james.id
    clinic.clock.advance(timedelta(minutes=9))
    assert expire_offers(clinic) == 0
    clinic.clock.advance(timedelta(minutes=1))
    assert expire_offers(clinic) == 1 and expire_offers(clinic) == 0
    assert entry_status(clinic, james_entry) is WaitStatus.left
    with pytest.raises(InvalidInput, match='no longer open'):
        accept_offer(clinic, actor_id=james.id, hold_id=to_james.hold_id)
    assert freed(clinic, doctor) == ()
    assert free_times(clinic, doctor) == ['09:00']  # free to everyone again


def test_two_times_freeing_at_once_go_to_two_entries_one_each(clinic, full_monday):
    doctor, xavier, booked, block = full_monday
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    join(clinic, maria, doctor, '09:00', '12:00')
    join(clinic, james, doctor, '09:00', '12:00')
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=block.id)  # the whole day frees up
    offers = offers_of_patient(clinic, actor_id=maria.id) + offers_of_patient(clinic, actor_id=james.id)
    assert [(o.patient_id, o.starts_at) for o in offers] == [
        (maria.id, local(NEXT_MONDAY, 9)),
        (james.id, local(NEXT_MONDAY, 9, 30)),
    ]
    assert freed(clinic, doctor) == ()  # one offer per entry at a time


def test_an_earlier_time_is_offered_as_a_move_and_the_time_it_leaves_goes_on(clinic, full_monday):
    doctor, xavier, booked, block = full_monday
    clinic.clock.set(local(NEXT_MONDAY, 7))  # Monday morning: no earlier day is left to offer
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=block.id)
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    for hour, minute in [(9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (13, 0), (13, 30), (14, 0), (14, 30), (15, 0)]:
        book(
            clinic,
            actor_id=xavier.id,
            doctor_id=doctor.id,
            starts_at=local(NEXT_MONDAY, hour, minute),
            second_that_day=True,
        )
    book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 15, 30))
    book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 16), second_that_day=True)
    later = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 16, 30))
    assert free_times(clinic, doctor) == []
    watch_for_earlier(clinic, actor_id=maria.id, appointment_id=later.id)
    james_entry = join(clinic, james, doctor, '16:00', '17:00')
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    assert (offer.patient_id, offer.moves_appointment_id) == (maria.id, later.id)
    moved = accept_offer(clinic, actor_id=maria.id, hold_id=offer.hold_id)
    assert (moved.id, moved.starts_at) == (later.id, local(NEXT_MONDAY, 9))  # the same appointment, moved
    [then] = offers_of_patient(clinic, actor_id=james.id)  # 16:30 left behind: James's turn
    assert (then.patient_id, then.starts_at) == (james.id, local(NEXT_MONDAY, 16, 30))
    assert entry_status(clinic, james_entry) is WaitStatus.offered


def test_accepting_and_expiring_at_once_end_one_way_only(tmp_path, database_url):
    for round_ in range(6):
        clinic = make_clinic(tmp_path / f'r{round_}', database_url=database_url)
        doctor, xavier, booked, _ = make_full_monday(clinic)
        maria = create_patient(clinic, 'Maria')
        entry = join(clinic, maria, doctor)
        cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
        [offer] = offers_of_patient(clinic, actor_id=maria.id)
        late = open_clinic(clinic.settings)  # a second process whose clock is past the hold
        late.clock = type(clinic.clock)(offer.held_until)
        outcomes = at_once(partial(accept_or_gone, clinic, maria.id, offer.hold_id), partial(expire_offers, late))
        with clinic.db.reading() as session:
            rows = session.exec(select(Appointment).where(Appointment.doctor_id == doctor.id)).all()
            status = session.get(WaitlistEntry, entry.id).status
        kept = [row.status for row in rows if row.status is not AppointmentStatus.cancelled]
        if AppointmentStatus.booked in outcomes:  # accepted first: booked, and the expiry found nothing to let go
            assert kept == [AppointmentStatus.booked] and status is WaitStatus.served and 0 in outcomes
        else:  # expired first: nothing booked or held, and the entry ended
            assert kept == [] and status is WaitStatus.left and sorted(map(str, outcomes)) == ['1', 'gone']
        late.db.dispose()
        clinic.db.dispose()


def test_a_held_time_survives_a_restart_and_runs_out_after_it(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url)
    doctor, xavier, booked, _ = make_full_monday(clinic)
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic)
    join(clinic, maria, doctor)
    join(clinic, james, doctor)
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    clinic.db.dispose()

    restarted = make_clinic(tmp_path, database_url=database_url)  # the process came back: the hold is still there
    assert free_times(restarted, doctor) == []
    assert [o.hold_id for o in offers_of_patient(restarted, actor_id=maria.id)] == [offer.hold_id]
    restarted.clock.advance(timedelta(minutes=10))
    assert expire_offers(restarted) == 1  # what a leading process does first
    [then] = offers_of_patient(restarted, actor_id=james.id)
    assert then.patient_id == james.id
    restarted.db.dispose()


def test_a_block_over_a_held_time_lets_it_go_and_the_patient_waits_on(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    maria = create_patient(clinic, 'Maria')
    entry = join(clinic, maria, doctor)
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 9, 30),
        in_the_way=None,
    )
    assert offers_of_patient(clinic, actor_id=maria.id) == ()
    assert entry_status(clinic, entry) is WaitStatus.waiting
    with pytest.raises(InvalidInput, match='no longer open'):
        accept_offer(clinic, actor_id=maria.id, hold_id=offer.hold_id)


def test_joining_is_refused_while_a_suitable_time_is_free_and_for_bad_windows(clinic):
    doctor, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    with pytest.raises(InvalidInput, match='09:00 is free: book it'):
        join(clinic, maria, doctor)
    with pytest.raises(InvalidInput, match='HH:MM') as bad:
        join(clinic, maria, doctor, earliest='nine')
    assert bad.value.field == 'waitlist_from'
    with pytest.raises(InvalidInput, match='later than'):
        join(clinic, maria, doctor, earliest='12:00', latest='09:00')
    with pytest.raises(InvalidInput, match='passed'):
        join(clinic, maria, doctor, day=NEXT_MONDAY - timedelta(days=14))
    friday = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(days=4), 9))
    with pytest.raises(InvalidInput, match='is free: move'):
        watch_for_earlier(clinic, actor_id=maria.id, appointment_id=friday.id)


def test_who_may_do_what_on_the_waitlist(clinic, full_monday):
    doctor = full_monday[0]
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    desk = admin_id(clinic)
    entry = join(clinic, maria, doctor)
    with pytest.raises(NotAllowed):  # a doctor does not put patients on lists
        join_waitlist(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, first_day=NEXT_MONDAY, patient_id=james.id)
    with pytest.raises(NotFound):
        leave_waitlist(clinic, actor_id=james.id, entry_id=entry.id)  # not his
    with pytest.raises(NotAllowed):
        offer_time_to(clinic, actor_id=james.id, entry_id=entry.id, starts_at=local(NEXT_MONDAY, 9))
    with pytest.raises(NotAllowed):
        waitlist_of_doctor(clinic, actor_id=james.id, doctor_id=doctor.id)
    tuesday = NEXT_MONDAY + timedelta(days=1)
    offer = offer_time_to(clinic, actor_id=desk, entry_id=entry.id, starts_at=local(tuesday, 9))  # the desk picks
    with pytest.raises(NotFound):
        accept_offer(clinic, actor_id=james.id, hold_id=offer.hold_id)
    with pytest.raises(NotFound):
        decline_offer(clinic, actor_id=doctor.user_id, hold_id=offer.hold_id)
    assert waitlist_of_patient(clinic, actor_id=james.id) == ()
    leave_waitlist(clinic, actor_id=maria.id, entry_id=entry.id)  # leaving lets the held time go
    assert free_times(clinic, doctor, tuesday)[0] == '09:00' and waitlist_of_patient(clinic, actor_id=maria.id) == ()
    assert GONE


def at_once(*steps):
    """Run the steps in threads released together; their results, in the order they finished."""
    start, results = threading.Barrier(len(steps)), []

    def run(step):
        start.wait()
        results.append(step())

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def accept_or_gone(clinic, patient_id, hold_id):
    try:
        return accept_offer(clinic, actor_id=patient_id, hold_id=hold_id).status
    except InvalidInput:
        return 'gone'


async def test_the_leading_process_offers_freed_time_at_once_and_passes_an_unanswered_offer_on(clinic, full_monday):
    import asyncio

    from services.live.boards import build_live_boards
    from services.scheduler import ClinicScheduler
    from tests.waiting import until

    doctor, xavier, booked, _ = full_monday
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    join(clinic, maria, doctor)
    join(clinic, james, doctor)
    clinic.hub.start(asyncio.get_running_loop())
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start()
    try:
        await until(lambda: scheduler.leading)
        # the jobs are run by hand below, at the clinic's (test) time: APScheduler's own clock is the real one, which
        # may be past the test's morning already (it was on 2026-11-25 itself), and would run the job at once
        scheduler.scheduler.pause()
        cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)  # held for Maria, and her answer's time planned
        await clinic.hub.drain()
        [offer] = offers_of_patient(clinic, actor_id=maria.id)
        job = scheduler.scheduler.get_job('waitlist-offer-expiry')
        assert job is not None and job.next_run_time == offer.held_until
        clinic.clock.advance(timedelta(minutes=10))
        await job.func()  # the job, run at its time
        await clinic.hub.drain()
        assert offers_of_patient(clinic, actor_id=maria.id) == ()
        [to_james] = offers_of_patient(clinic, actor_id=james.id)  # passed on to the next in line
        assert to_james.starts_at == offer.starts_at
    finally:
        await scheduler.shutdown()


def test_accepting_while_another_patient_tries_to_book_the_held_time_books_it_once(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    join(clinic, maria, doctor)
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)

    def james_books():
        try:
            return book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9)).patient_id
        except SlotTaken:
            return 'taken'

    outcomes = at_once(partial(accept_or_gone, clinic, maria.id, offer.hold_id), james_books)
    assert sorted(outcomes) == ['booked', 'taken']  # a str enum: booked == 'booked'
    with clinic.db.reading() as session:
        kept = session.exec(
            select(Appointment.patient_id).where(
                Appointment.doctor_id == doctor.id, Appointment.status == AppointmentStatus.booked
            )
        ).all()
    assert kept == [maria.id]


def test_two_processes_letting_an_unanswered_offer_go_at_once_pass_it_on_once(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url)
    doctor, xavier, booked, _ = make_full_monday(clinic)
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic)
    join(clinic, maria, doctor)
    join(clinic, james, doctor)
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    clinic.clock.advance(timedelta(minutes=10))
    other = open_clinic(clinic.settings)  # a second process of the group, its clock as late
    other.clock = type(clinic.clock)(clinic.now())
    assert sorted(at_once(partial(expire_offers, clinic), partial(expire_offers, other))) == [0, 1]
    [to_james] = offers_of_patient(clinic, actor_id=james.id)  # passed on exactly once
    assert to_james.starts_at == offer.starts_at
    other.db.dispose()


def test_an_offer_is_mailed_with_the_way_to_answer_it(tmp_path, database_url):
    from services.outbox import send_due
    from tests.factories import Mailbox, text_of

    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, **mailbox.settings)
        doctor, xavier, booked, _ = make_full_monday(clinic)
        maria = create_patient(clinic, 'Maria')
        join(clinic, maria, doctor, day=NEXT_MONDAY)
        cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
        send_due(clinic)
        [mail] = [m for m in mailbox.to(maria.email) if m['Subject'].startswith('A time for you')]
        clinic.db.dispose()
    assert mail['Subject'] == 'A time for you: Dr. Alice Smith, Mon 30 Nov 2026, 09:00'
    assert 'held for you until 09:10' in text_of(mail) and '/appointments' in text_of(mail)


def test_waiting_for_several_days_gets_the_first_time_that_frees_on_any_of_them(clinic):
    doctor, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    tuesday = NEXT_MONDAY + timedelta(days=1)
    for day in (NEXT_MONDAY, tuesday):
        mark_unavailable(
            clinic,
            actor_id=doctor.user_id,
            doctor_id=doctor.id,
            starts_at=local(day, 9),
            ends_at=local(day, 17),
            in_the_way=InTheWay.keep,
        )
    join_waitlist(clinic, actor_id=maria.id, doctor_id=doctor.id, first_day=NEXT_MONDAY, last_day=tuesday)
    with pytest.raises(InvalidInput, match='at most 14 days'):
        join_waitlist(
            clinic, actor_id=maria.id, doctor_id=doctor.id, first_day=NEXT_MONDAY, last_day=NEXT_MONDAY + timedelta(14)
        )
    [tuesday_block] = [p for p in doctor_periods(clinic, doctor) if p.starts_at == local(tuesday, 9)]
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=tuesday_block.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    assert offer.starts_at == local(tuesday, 9)


def doctor_periods(clinic, doctor):
    from services.schedule import doctor_schedule

    return doctor_schedule(clinic, actor_id=doctor.user_id, doctor_id=doctor.id).periods


def test_a_time_is_held_no_longer_than_it_can_be_booked_and_not_for_a_doctor_who_left(clinic, full_monday):
    from services.account_admin import set_active

    doctor, xavier, booked, _ = full_monday
    maria = create_patient(clinic, 'Maria')
    join(clinic, maria, doctor)
    clinic.clock.set(local(NEXT_MONDAY, 8, 50))  # ten minutes before the freed time starts
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    assert offer.held_until == local(NEXT_MONDAY, 9)  # not the full ten minutes: not past its start
    clinic.clock.set(local(NEXT_MONDAY, 9, 1))
    with pytest.raises(InvalidInput, match='no longer open'):
        accept_offer(clinic, actor_id=maria.id, hold_id=offer.hold_id)  # once under way, it is not booked

    set_active(clinic, actor_id=admin_id(clinic), user_id=doctor.user_id, active=False)
    with pytest.raises(NotFound):  # a doctor who left takes no bookings, by any way in
        book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(days=1), 10))
    assert freed(clinic, doctor) == ()


def test_an_entry_whose_days_have_passed_no_longer_shows_or_counts(clinic, full_monday):
    doctor, *_ = full_monday
    maria = create_patient(clinic, 'Maria')
    for _ in range(5):
        join(clinic, maria, doctor)
    with pytest.raises(InvalidInput, match='the most the clinic allows'):
        join(clinic, maria, doctor)
    clinic.clock.set(local(NEXT_MONDAY + timedelta(days=1), 8))  # Monday is over
    assert waitlist_of_patient(clinic, actor_id=maria.id) == ()
    assert waitlist_of_doctor(clinic, actor_id=doctor.user_id, doctor_id=doctor.id) == ()
    block_day = NEXT_MONDAY + timedelta(days=2)
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(block_day, 9),
        ends_at=local(block_day, 17),
    )
    join(clinic, maria, doctor, day=block_day)  # room again
    assert len(waitlist_of_patient(clinic, actor_id=maria.id)) == 1


def test_cancelling_an_appointment_ends_its_earlier_time_watch(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    clinic.clock.set(local(NEXT_MONDAY, 7))  # Monday morning: no earlier day is left
    watch_for_earlier(clinic, actor_id=xavier.id, appointment_id=booked.id)
    assert len(waitlist_of_patient(clinic, actor_id=xavier.id)) == 1
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    assert waitlist_of_patient(clinic, actor_id=xavier.id) == ()
    assert waitlist_of_doctor(clinic, actor_id=doctor.user_id, doctor_id=doctor.id) == ()


def test_a_deactivated_patient_waits_no_more_and_their_held_time_goes_to_the_next(clinic, full_monday):
    doctor, xavier, booked, _ = full_monday
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    maria_entry = join(clinic, maria, doctor, '09:00', '12:00')
    james_entry = join(clinic, james, doctor, '09:00', '12:00')
    cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
    [offer] = offers_of_patient(clinic, actor_id=maria.id)
    set_active(clinic, actor_id=admin_id(clinic), user_id=maria.id, active=False)
    assert entry_status(clinic, maria_entry) is WaitStatus.left
    [then] = offers_of_patient(clinic, actor_id=james.id)
    assert then.starts_at == offer.starts_at and entry_status(clinic, james_entry) is WaitStatus.offered


def test_patients_waiting_for_a_deactivated_doctor_are_told_and_taken_off(clinic, full_monday):
    doctor, *_ = full_monday
    maria = create_patient(clinic, 'Maria')
    entry = join(clinic, maria, doctor, '13:00', '17:00')
    set_active(clinic, actor_id=admin_id(clinic), user_id=doctor.user_id, active=False, in_the_way=InTheWay.cancel)
    assert entry_status(clinic, entry) is WaitStatus.left
    assert waitlist_of_patient(clinic, actor_id=maria.id) == ()
    assert any('no longer takes appointments here' in note.text for note in inbox_of(clinic, maria.id).messages)


def test_an_earlier_time_the_same_day_is_offered_when_the_clinic_allows_one_visit_a_day(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url, max_bookings_per_doctor_day=1)
    try:
        doctor, xavier, booked, block = make_full_monday(clinic)
        clinic.clock.set(local(NEXT_MONDAY, 7))  # Monday morning: no earlier day is left
        remove_unavailability(clinic, actor_id=doctor.user_id, period_id=block.id)
        others = [create_patient(clinic) for _ in range(14)]
        starts = [(h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)][1:]  # all but 09:00 (Xavier's)
        for patient, (hour, minute) in zip(others, starts[:-1], strict=False):
            book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, hour, minute))
        maria = create_patient(clinic, 'Maria')
        later = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 16, 30))
        watch_for_earlier(clinic, actor_id=maria.id, appointment_id=later.id)
        cancel(clinic, actor_id=xavier.id, appointment_id=booked.id)
        [offer] = offers_of_patient(clinic, actor_id=maria.id)  # her 16:30 does not count against the 09:00
        assert (offer.starts_at, offer.moves_appointment_id) == (local(NEXT_MONDAY, 9), later.id)
        moved = accept_offer(clinic, actor_id=maria.id, hold_id=offer.hold_id)
        assert moved.starts_at == local(NEXT_MONDAY, 9)
    finally:
        clinic.db.dispose()
