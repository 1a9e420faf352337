"""E-mail to patients whose appointments a schedule change cancelled, sent after the cancelling commit."""

import logging
from collections.abc import Sequence

from sqlmodel import col, select

from models import User

from .clinic import Clinic
from .local_time import format_when
from .mailer import send_email
from .read_models.values import AppointmentInfo

log = logging.getLogger(__name__)


def mail_cancellations(clinic: Clinic, cancelled: Sequence[AppointmentInfo]) -> None:
    """E-mail each patient that their appointment was cancelled (blocking: call it off the event loop, after commit).

    Without a mail host nothing is sent; a send that fails is logged and the others still go out.
    """
    if not cancelled or not clinic.settings.smtp_host:
        return
    patient_ids = {info.patient_id for info in cancelled}
    with clinic.db.reading() as session:
        addresses = dict(session.exec(select(User.id, User.email).where(col(User.id).in_(patient_ids))).all())
    for info in cancelled:
        address = addresses.get(info.patient_id)
        if not address:
            continue
        when = format_when(info.starts_at, clinic.tz)
        body = f'Your appointment with {info.doctor_name} on {when} is cancelled.'
        if info.cancel_reason:
            body += f'\n\n{info.cancel_reason}'
        body += "\n\nTo book another time, open the clinic's booking page."
        try:
            send_email(clinic.settings, to=address, subject=f'Cancelled: {info.doctor_name}, {when}', body=body)
        except Exception:  # one patient's failed e-mail must not stop the others, nor undo the committed change
            log.exception('cancellation e-mail for appointment %s failed', info.id)
