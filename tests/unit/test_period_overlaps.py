"""Unavailable periods do not pile up: a duplicate is refused, an overlap is refused with the period it meets (so
the form can offer to extend that one), adjacent periods are fine; an admin's change says which times it touched."""

from datetime import timedelta

import pytest

from services.availability import PeriodOverlaps, mark_unavailable, update_unavailability
from services.errors import InvalidPeriod
from services.live.events import Change, ScheduleChanged
from services.live.postgres import from_wire, to_wire
from services.read_models.schedules import schedule_of
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, local, published

TUESDAY = NEXT_MONDAY + timedelta(days=1)


def block(clinic, doctor, start, end, **kwargs):
    return mark_unavailable(
        clinic, actor_id=doctor.user_id, doctor_id=doctor.id, starts_at=start, ends_at=end, **kwargs
    )


def spans(clinic, doctor):
    return [(p.starts_at, p.ends_at) for p in schedule_of(clinic, doctor_id=doctor.id).periods]


def test_an_identical_period_is_refused_with_a_clear_message(clinic):
    doctor = create_doctor(clinic)
    block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30), note='Conference')
    with pytest.raises(InvalidPeriod, match='already marked unavailable') as refused:
        block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30), note='Conference')
    assert not isinstance(refused.value, PeriodOverlaps)
    assert '09:00' in refused.value.message and '11:30' in refused.value.message
    assert len(spans(clinic, doctor)) == 1


def test_a_period_inside_an_existing_one_is_refused_as_already_marked(clinic):
    doctor = create_doctor(clinic)
    block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 12))
    with pytest.raises(InvalidPeriod, match='already marked unavailable'):
        block(clinic, doctor, local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 11))
    assert len(spans(clinic, doctor)) == 1


def test_an_overlapping_period_is_refused_with_the_period_it_meets(clinic):
    doctor = create_doctor(clinic)
    existing = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11))
    with pytest.raises(PeriodOverlaps, match='overlaps') as refused:
        block(clinic, doctor, local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 12))
    assert refused.value.existing == existing
    assert len(spans(clinic, doctor)) == 1
    assert len(published(clinic)) == 1  # only the first period was announced


def test_extending_the_existing_period_to_the_union_is_allowed(clinic):
    doctor = create_doctor(clinic)
    existing = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11))
    update_unavailability(
        clinic,
        actor_id=doctor.user_id,
        period_id=existing.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 12),
    )
    assert spans(clinic, doctor) == [(local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 12))]


def test_an_edit_that_would_overlap_another_period_is_refused(clinic):
    doctor = create_doctor(clinic)
    first = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10))
    second = block(clinic, doctor, local(TUESDAY, 9), local(TUESDAY, 10))
    with pytest.raises(PeriodOverlaps) as refused:
        update_unavailability(
            clinic,
            actor_id=doctor.user_id,
            period_id=second.id,
            starts_at=local(NEXT_MONDAY, 9, 30),
            ends_at=local(NEXT_MONDAY, 10, 30),
        )
    assert refused.value.existing == first


def test_adjacent_periods_and_other_doctors_periods_do_not_overlap(clinic):
    doctor, other = create_doctor(clinic), create_doctor(clinic, 'Dr. Other')
    block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10))
    block(clinic, doctor, local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 11))
    block(clinic, doctor, local(NEXT_MONDAY, 8), local(NEXT_MONDAY, 9))
    block(clinic, other, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10))
    assert len(spans(clinic, doctor)) == 3


def test_moving_a_period_within_its_own_time_is_no_overlap(clinic):
    doctor = create_doctor(clinic)
    period = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11))
    update_unavailability(
        clinic,
        actor_id=doctor.user_id,
        period_id=period.id,
        starts_at=local(NEXT_MONDAY, 10),
        ends_at=local(NEXT_MONDAY, 12),
    )
    assert spans(clinic, doctor) == [(local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 12))]


def test_a_schedule_change_carries_the_times_it_touched_even_between_processes(clinic):
    doctor = create_doctor(clinic)
    period = mark_unavailable(
        clinic,
        actor_id=admin_id(clinic),
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 11, 30),
    )
    update_unavailability(
        clinic,
        actor_id=admin_id(clinic),
        period_id=period.id,
        starts_at=local(TUESDAY, 9),
        ends_at=local(TUESDAY, 10),
    )
    added, changed = published(clinic)
    assert added.spans == ((local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30)),)
    assert changed.change is Change.period_changed
    assert changed.spans == (
        (local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30)),
        (local(TUESDAY, 9), local(TUESDAY, 10)),
    )
    travelled = from_wire(to_wire(changed))
    assert isinstance(travelled, ScheduleChanged) and travelled == changed
