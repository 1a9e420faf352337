"""The patient's confirmation of each booking, move and cancellation, whoever made it: an e-mail in plain text and
HTML with a calendar invitation, written into the outbox in the same transaction as the change."""

from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, col, func, select

from models import OutboxMail, User

from .calendar_invites import invitation
from .clinic import Clinic
from .local_time import format_when
from .outbox import queue_mail
from .read_models.values import AppointmentInfo

Change = Literal['booked', 'moved', 'cancelled']

_TEMPLATES = Environment(
    loader=PackageLoader('services', 'mail_templates'),
    autoescape=select_autoescape(['html']),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_SUBJECTS = {'booked': 'Booked', 'moved': 'Moved', 'cancelled': 'Cancelled'}


def queue_confirmation(
    session: Session, clinic: Clinic, info: AppointmentInfo, change: Change, *, patients_words: str = ''
) -> None:
    """Write the patient's confirmation into the outbox (nothing for a patient without an address, or when the clinic
    sends no confirmations); `patients_words` is the reason for the visit, only when the patient wrote it."""
    if not clinic.settings.patient_confirmations:
        return
    to = session.exec(select(User.email).where(User.id == info.patient_id)).first()
    if not to:
        return
    earlier = session.exec(  # each invitation about an appointment supersedes the one before
        select(func.count())
        .select_from(OutboxMail)
        .where(OutboxMail.appointment_id == info.id, col(OutboxMail.calendar).is_not(None))
    ).one()
    cancelled = change == 'cancelled'
    when = format_when(info.starts_at, clinic.tz)
    words = {
        'doctor': info.doctor_name,
        'when': when,
        'kind': info.type_name,
        'moved': change == 'moved',
        'cancelled': cancelled,
        'cancel_reason': info.cancel_reason,
        'clinic_name': clinic.settings.clinic_name,
        'clinic_address': clinic.settings.clinic_address,
        'clinic_url': clinic.settings.site_url,
    }
    queue_mail(
        session,
        clinic,
        kind=f'appointment.{change}',
        to=to,
        subject=f'{_SUBJECTS[change]}: {info.doctor_name}, {when}',
        text=_TEMPLATES.get_template('appointment.txt').render(words),
        html=_TEMPLATES.get_template('appointment.html').render(words),
        calendar=invitation(
            clinic, info, sequence=earlier, cancelled=cancelled, to=to, reason=patients_words, now=clinic.now()
        ),
        appointment_id=info.id,
    )
