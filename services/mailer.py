"""E-mail to patients: sent over SMTP when the clinic configured it, otherwise written to the log."""

import logging
import smtplib
from email.message import EmailMessage

from config import Settings

log = logging.getLogger(__name__)


def send_email(settings: Settings, *, to: str, subject: str, body: str) -> bool:
    """Send one e-mail (blocking); return False, and log why, when it could not be sent."""
    if not settings.smtp_host:
        log.info('e-mail not sent (no SMTP configured): to=%s subject=%r', to, subject)
        return False
    message = EmailMessage()
    message['From'], message['To'], message['Subject'] = settings.smtp_from, to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or '')
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception('e-mail to %s failed', to)
        return False
    return True
