"""The confirmation of each booking, move and cancellation, whoever made it: an e-mail in plain text and HTML with a
calendar invitation, to the patient (and to the doctor, if the clinic wants that), written into the outbox in the
same transaction as the change."""

from functools import cache
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, col, func, select

from models import Doctor, OutboxMail, User

from .calendar_invites import invitation
from .clinic import Clinic
from .i18n import N_, translator, when_in
from .outbox import queue_mail
from .read_models.values import AppointmentInfo

Change = Literal['booked', 'moved', 'cancelled']

_SUBJECTS = {  # with whom, and when
    'booked': N_('Booked: {whom}, {when}'),
    'moved': N_('Moved: {whom}, {when}'),
    'cancelled': N_('Cancelled: {whom}, {when}'),
}


@cache
def _templates(language: str) -> Environment:
    """The e-mail templates, their `_()` writing in `language` (one environment per language: renders run in
    several threads at once)."""
    templates = Environment(
        loader=PackageLoader('services', 'mail_templates'),
        autoescape=select_autoescape(['html']),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    templates.globals['_'] = translator(language)
    templates.globals['language'] = language
    return templates


def queue_confirmation(
    session: Session, clinic: Clinic, info: AppointmentInfo, change: Change, *, patients_words: str = ''
) -> None:
    """Write the confirmations of a change into the outbox: the patient's (`patients_words`, the reason for the visit,
    only when the patient wrote it) and, if the clinic wants them, the doctor's (naming the patient, never with the
    patient's words). Nothing for someone without an address."""
    settings = clinic.settings
    if settings.patient_confirmations:
        found = session.exec(select(User.email, User.language).where(User.id == info.patient_id)).first()
        to, language = found if found else (None, None)
        _queue(session, clinic, info, change, to=to, language=language, reader='patient', reason=patients_words)
    if settings.doctor_confirmations:
        found = session.exec(
            select(User.email, User.language)
            .join(Doctor, col(Doctor.user_id) == col(User.id))
            .where(Doctor.id == info.doctor_id)
        ).first()
        to, language = found if found else (None, None)
        _queue(session, clinic, info, change, to=to, language=language, reader='doctor', reason='')


def _queue(
    session: Session,
    clinic: Clinic,
    info: AppointmentInfo,
    change: Change,
    *,
    to: str | None,
    language: str | None,
    reader: Literal['patient', 'doctor'],
    reason: str,
) -> None:
    """One confirmation, in the reader's language (theirs if they chose one, else the clinic's)."""
    if not to:
        return
    language = language if language in clinic.settings.offered_languages else clinic.settings.default_language
    _ = translator(language)
    earlier = session.exec(  # each invitation about an appointment to this address supersedes the one before
        select(func.count())
        .select_from(OutboxMail)
        .where(
            OutboxMail.appointment_id == info.id,
            OutboxMail.to_address == to,
            col(OutboxMail.calendar).is_not(None),
        )
    ).one()
    cancelled = change == 'cancelled'
    when = when_in(language, info.starts_at, clinic.tz)
    words = {
        'doctor': info.doctor_name,
        'patient': info.patient_name,
        'when': when,
        'kind': info.type_name,
        'moved': change == 'moved',
        'cancelled': cancelled,
        'cancel_reason': info.cancel_reason,
        'clinic_name': clinic.settings.clinic_name,
        'clinic_address': clinic.settings.clinic_address,
        'clinic_url': clinic.settings.site_url,
    }
    template = 'appointment' if reader == 'patient' else 'doctor_appointment'
    with_whom = info.doctor_name if reader == 'patient' else info.patient_name
    queue_mail(
        session,
        clinic,
        kind=f'appointment.{change}',
        to=to,
        subject=_(_SUBJECTS[change], whom=with_whom, when=when),
        text=_templates(language).get_template(f'{template}.txt').render(words),
        html=_templates(language).get_template(f'{template}.html').render(words),
        calendar=invitation(
            clinic,
            info,
            sequence=earlier,
            cancelled=cancelled,
            to=to,
            reason=reason,
            now=clinic.now(),
            reader=reader,
            language=language,
        ),
        appointment_id=info.id,
    )
