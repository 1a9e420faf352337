"""E-mail to a patient whose appointment the front desk booked or moved, sent after the committing transaction."""

import logging

from sqlmodel import select

from models import User

from .clinic import Clinic
from .local_time import format_when
from .mailer import send_email
from .read_models.values import AppointmentInfo

log = logging.getLogger(__name__)


def mail_desk_booking(clinic: Clinic, info: AppointmentInfo, *, moved: bool = False) -> None:
    """E-mail the patient the time the desk booked (blocking: call it off the event loop, after commit).

    Without a mail host, or for a patient registered without an address, nothing is sent; a failed send is logged.
    """
    if not clinic.settings.smtp_host:
        return
    with clinic.db.reading() as session:
        address = session.exec(select(User.email).where(User.id == info.patient_id)).first()
    if not address:
        return
    when = format_when(info.starts_at, clinic.tz)
    what = 'Moved' if moved else 'Booked'
    body = f'Your appointment with {info.doctor_name} is {what.lower()} for {when}.'
    body += "\n\nTo see or cancel it, open the clinic's appointments page."
    try:
        send_email(clinic.settings, to=address, subject=f'{what}: {info.doctor_name}, {when}', body=body)
    except Exception:  # a failed e-mail must not undo the committed booking
        log.exception('desk booking e-mail for appointment %s failed', info.id)
