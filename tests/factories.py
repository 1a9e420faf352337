"""Test factories: real accounts and schedules made through the services, and a real mail server to write to."""

import re
import socket
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from itertools import count
from time import monotonic, sleep
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from config import Settings
from models import Appointment, AppointmentType, Role
from services.accounts import create_account
from services.appointments import appointment_list_key
from services.clinic import Clinic
from services.clock import FixedClock
from services.live.events import DomainEvent
from services.live.hub import SingleProcess
from services.outbox import send_due
from services.read_models.appointments import appointment_list
from services.read_models.values import AppointmentInfo, DoctorCard, Person
from services.schedule import list_doctors
from services.startup import open_clinic

BERLIN = ZoneInfo('Europe/Berlin')
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # Wednesday 25 November 2026, 09:00 in Berlin
NEXT_MONDAY = date(2026, 11, 30)
_numbers = count(1)
_recorders: dict[int, 'RecordingTransport'] = {}  # hub -> what its clinic published


class RecordingTransport(SingleProcess):
    """Stands in for the network between processes: keeps what was published, in order."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def send(self, event: DomainEvent) -> None:
        self.events.append(event)


def make_clinic(data_dir, *, now: datetime = NOW, **settings) -> Clinic:
    options = dict(
        data_dir=data_dir, timezone='Europe/Berlin', admin_email='admin@test.example', admin_password='admin-pass-1'
    )
    options.update(settings)
    transport = RecordingTransport()
    clinic = open_clinic(Settings(**options), clock=FixedClock(now), transport=transport)
    _recorders[id(clinic.hub)] = transport
    return clinic


def published(clinic: Clinic) -> list[DomainEvent]:
    """Every event the clinic's use cases published, in order."""
    return _recorders[id(clinic.hub)].events


def create_patient(clinic: Clinic, name: str = 'Pat Patient') -> Person:
    return create_account(
        clinic,
        email=f'patient{next(_numbers)}@test.example',
        full_name=name,
        password='patient-pass',
        role=Role.patient,
    )


def create_doctor(clinic: Clinic, name: str = 'Dr. Test', *, slot_minutes: int = 30) -> DoctorCard:
    person = create_account(
        clinic,
        email=f'doctor{next(_numbers)}@test.example',
        full_name=name,
        password='doctor-pass',
        role=Role.doctor,
        specialty='General Practice',
        slot_minutes=slot_minutes,
    )
    return next(d for d in list_doctors(clinic) if d.user_id == person.id)


def appointment_row(
    session, doctor_id: int, patient_id: int, starts_at: datetime, *, minutes: int = 30, **fields
) -> Appointment:
    """An appointment row as the database holds it, of the doctor's default kind of visit, bypassing the rules."""
    kind = session.exec(
        select(AppointmentType).where(AppointmentType.doctor_id == doctor_id).order_by(col(AppointmentType.id))
    ).first()
    ends_at = starts_at + timedelta(minutes=minutes)
    return Appointment(
        doctor_id=doctor_id,
        patient_id=patient_id,
        starts_at=starts_at,
        ends_at=ends_at,
        type_id=kind.id,
        blocked_from=starts_at,
        blocked_until=ends_at,
        **fields,
    )


def admin_id(clinic: Clinic) -> int:
    from services.accounts import sign_in

    return sign_in(clinic, email='admin@test.example', password='admin-pass-1').id


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=BERLIN)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def create_patients(clinic: Clinic, count_: int) -> list[Person]:
    """Many patients at once: real rows, one shared password hash (hashing each would take seconds)."""
    from models import User
    from services.accounts import _hasher

    password_hash = _hasher.hash('patient-pass')
    with clinic.db.writing() as session:
        users = [
            User(
                email=f'patient{next(_numbers)}@test.example',
                full_name=f'Patient {i}',
                role=Role.patient,
                password_hash=password_hash,
                email_confirmed_at=clinic.now(),
            )
            for i in range(count_)
        ]
        session.add_all(users)
        session.flush()
        return [Person(id=u.id, email=u.email, full_name=u.full_name, role=Role.patient) for u in users]


def appointments_seen_by(clinic: Clinic, actor_id: int) -> tuple[AppointmentInfo, ...]:
    """The upcoming appointments a person's /appointments page shows, found the way the page finds them."""
    return appointment_list(clinic, appointment_list_key(clinic, actor_id=actor_id))


class Mailbox:
    """A real SMTP server on loopback (aiosmtpd, in a thread of its own) keeping every e-mail it is given."""

    def __init__(self, *answers: str, password: str | None = None) -> None:
        """`answers`: what the server says to the first e-mails it is given (e.g. '451 try later'), then '250 OK';
        `password`: the server asks the clinic to log in (as 'clinic') with this password."""
        self.received: list[EmailMessage] = []
        self.answers = list(answers)
        self.password = password
        self.connections = 0
        self.outbox: Clinic | None = None  # a clinic whose outbox is sent before each look (the app's job does it)
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]

    def __enter__(self) -> 'Mailbox':
        from aiosmtpd.controller import Controller

        mailbox = self

        from aiosmtpd.smtp import AuthResult

        class Keep:
            async def handle_EHLO(self, server, session, envelope, hostname, responses):  # aiosmtpd's hook names
                mailbox.connections += 1
                session.host_name = hostname
                return responses

            async def handle_DATA(self, server, session, envelope):
                if mailbox.answers:
                    return mailbox.answers.pop(0)
                mailbox.received.append(message_from_bytes(envelope.content, policy=policy.default))
                return '250 OK'

        def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
            given = (auth_data.login, auth_data.password)
            return AuthResult(success=given == (b'clinic', (mailbox.password or '').encode()), handled=False)

        login = dict(auth_required=True, auth_require_tls=False, authenticator=authenticate) if self.password else {}
        self._server = Controller(Keep(), hostname='127.0.0.1', port=self.port, **login)
        self._server.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.stop()

    @property
    def settings(self) -> dict[str, object]:
        """The clinic's settings that send its mail here."""
        login = dict(smtp_username='clinic', smtp_password=self.password) if self.password else {}
        return dict(
            smtp_host='127.0.0.1', smtp_port=self.port, smtp_starttls=False, smtp_from='clinic@test.example', **login
        )

    @property
    def environment(self) -> dict[str, str]:
        """The same, as the app process reads them."""
        return {
            f'CLINIC_{key.upper()}': str(value).lower() if value is False else str(value)
            for key, value in self.settings.items()
        }

    def to(self, address: str) -> list[EmailMessage]:
        """Every e-mail sent to `address`, oldest first (once `outbox`'s due e-mails are sent, if it is set)."""
        if self.outbox is not None:
            send_due(self.outbox)
        return [mail for mail in self.received if mail['To'] == address]

    def arrived(self, address: str, count: int = 1, within: float = 10.0) -> list[EmailMessage]:
        """Every e-mail sent to `address` once at least `count` have arrived (the outbox sends after the change)."""
        deadline = monotonic() + within
        while len(self.to(address)) < count:
            assert monotonic() < deadline, f'{len(self.to(address))} of {count} e-mails reached {address}'
            sleep(0.05)  # polling a mailbox another process delivers to
        return self.to(address)

    def cancellations(self, address: str) -> list[EmailMessage]:
        """Every cancellation e-mailed to `address`, oldest first."""
        return [mail for mail in self.to(address) if mail['Subject'].startswith('Cancelled')]

    def links(self, address: str) -> list[str]:
        """Every sign-up link sent to `address`, oldest first."""
        return [link for mail in self.to(address) for link in LINK.findall(mail.get_content())]


LINK = re.compile(r'https?://\S+/confirm-email\?token=[\w-]+')


def text_of(mail: EmailMessage) -> str:
    """The plain-text part of an e-mail (the whole e-mail when it has no parts)."""
    part = next((part for part in mail.walk() if part.get_content_type() == 'text/plain'), mail)
    return str(part.get_content())
