"""Patients as the front desk finds them: name, contact, whether they claimed their account, and what is booked."""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, func, select

from models import Appointment, AppointmentStatus, Role, User

from .appointments import describe_many
from .values import AppointmentInfo

FOUND_LIMIT = 20  # the desk narrows a search by typing more, never by scrolling through the clinic


@dataclass(frozen=True, slots=True)
class PatientCard:
    id: int
    full_name: str
    email: str  # '' when registered without one
    phone: str
    claimed: bool  # False for a patient the desk registered who has not set a password yet
    upcoming: tuple[AppointmentInfo, ...] = ()  # booked, soonest first

    @property
    def next_appointment(self) -> AppointmentInfo | None:
        return self.upcoming[0] if self.upcoming else None


PHONE_LIKE = re.compile(r'[\d\s+()./-]+')


def find_patients(session: Session, text: str, *, now: datetime, limit: int = FOUND_LIMIT) -> list[PatientCard]:
    """Active patients whose name or email contains `text` (any case), or, when `text` is written like a phone
    number, whose phone contains its digits (without a trunk or international prefix of zeros)."""
    text = text.strip()
    if not text:
        return []
    matches: list[ColumnElement[bool]] = [
        col(User.full_name).icontains(text, autoescape=True),
        col(User.email).icontains(text, autoescape=True),
    ]
    digits = re.sub(r'\D', '', text).lstrip('0')  # '030 123' finds '+4930123...' and '030123...' alike
    if len(digits) >= 3 and PHONE_LIKE.fullmatch(text):  # not the digits of an address such as 'ann123@mail.example'
        matches.append(col(User.phone).contains(digits, autoescape=True))
    users = session.exec(
        select(User)
        .where(User.role == Role.patient, col(User.is_active), or_(*matches))
        .order_by(func.lower(User.full_name), col(User.id))
        .limit(limit)
    ).all()
    return cards_of(session, users, now=now)


def cards_of(session: Session, users: Sequence[User], *, now: datetime) -> list[PatientCard]:
    """The desk's card of each patient, with their upcoming booked appointments (one query for all of them)."""
    ids = [u.id for u in users if u.id is not None]
    upcoming: dict[int, list[AppointmentInfo]] = defaultdict(list)
    if ids:
        rows = session.exec(
            select(Appointment)
            .where(
                col(Appointment.patient_id).in_(ids),
                Appointment.status == AppointmentStatus.booked,
                col(Appointment.ends_at) > now,
            )
            .order_by(col(Appointment.starts_at))
        ).all()
        for info in describe_many(session, rows):
            upcoming[info.patient_id].append(info)
    return [
        PatientCard(
            id=u.id,
            full_name=u.full_name,
            email=u.email or '',
            phone=u.phone,
            claimed=bool(u.password_hash),
            upcoming=tuple(upcoming[u.id]),
        )
        for u in users
        if u.id is not None
    ]
