"""Confirming a self-signed-up patient's email address by a one-time link.

Sign-up (`accounts.register_patient`) gives the same answer whether or not the address has an account, and writes to
the address instead: a new or still unconfirmed account gets a link that finishes it, a confirmed one a notice that
someone tried to sign up with it. So only the mailbox's owner learns the answer, and only they can confirm. Until
then the account may sign in but not book (`access.require_confirmed_email`), so it holds no time.
A link's token is random and kept only as a SHA-256, for LINK_VALID_FOR; an account has at most one live link (its
newest sign-up's), and confirming ends it and every sign-in the account had before.
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from sqlmodel import Session, col, delete, or_, select

from models import SignIn, User
from models.user import EmailConfirmation

from .access import load_actor
from .clinic import Clinic
from .errors import NotFound
from .i18n import N_, SOURCE_LANGUAGE, translate, translator
from .outbox import queue_mail
from .read_models.values import Person

log = logging.getLogger(__name__)

LINK_VALID_FOR = timedelta(hours=24)
CONFIRM_PATH = '/confirm-email'
LINK_NO_LONGER_WORKS = N_(
    'This link no longer works: it was already used, it is more than 24 hours old, or a newer sign-up with this '
    'address replaced it.'
)
CHECK_YOUR_INBOX = N_(
    'Check your inbox at {address}: the link there finishes creating your account. It is valid for 24 hours.'
)


def answer_to_sign_up(address: str, language: str = SOURCE_LANGUAGE) -> str:
    """What a person who signed up is told (in `language`, the sign-up page's), whether or not the address already
    had an account."""
    return translate(language, CHECK_YOUR_INBOX, address=address)


def open_link(session: Session, clinic: Clinic, user_id: int) -> str:
    """Replace the account's link by a new one, inside the caller's transaction; return its token."""
    now = clinic.now()
    session.execute(
        delete(EmailConfirmation).where(
            or_(col(EmailConfirmation.user_id) == user_id, col(EmailConfirmation.expires_at) <= now)
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(EmailConfirmation(token_hash=_hash(token), user_id=user_id, expires_at=now + LINK_VALID_FOR))
    return token


def end_sign_ins(session: Session, user_id: int) -> None:
    """Sign every browser out of this account, inside the caller's transaction."""
    session.execute(delete(SignIn).where(col(SignIn.user_id) == user_id))


def queue_confirmation_link(
    session: Session, clinic: Clinic, *, to: str, token: str, language: str | None = None
) -> None:
    """Write the e-mail with the link that confirms `to` into the caller's transaction, in `language` (the account's
    choice, else the one it signed up in; else, or if not offered, the clinic's default); without a mail server, log
    the link instead, so the clinic can still pass it on."""
    settings = clinic.settings
    _ = translator(clinic.language_of(language))
    link = f'{settings.site_url}{CONFIRM_PATH}?{urlencode({"token": token})}'
    text = (
        _('Someone, we hope you, asked to create a patient account at the clinic with this email address.')
        + '\n\n'
        + _('To finish, open this link within 24 hours:')
        + f'\n\n{link}\n\n'
        + _('If you did not ask for this, ignore this e-mail: without the link no account is created.')
        + '\n'
    )
    subject = _('Confirm your email address to finish signing up')
    expires = clinic.now() + LINK_VALID_FOR
    if queue_mail(session, clinic, kind='sign-up link', to=to, subject=subject, text=text, link_expires_at=expires):
        return
    log.info('no SMTP configured, so this sign-up link is not e-mailed; for %s: %s', to, link)


def queue_sign_up_notice(session: Session, clinic: Clinic, *, to: str, language: str | None = None) -> None:
    """Tell an address that already has an account that someone tried to sign up with it, in the caller's
    transaction, in the account's `language` (else the clinic's default)."""
    site = clinic.settings.site_url
    _ = translator(clinic.language_of(language))
    text = (
        _(
            'Someone tried to create a new patient account at the clinic with this email address, which already has '
            'an account. Nothing was changed.'
        )
        + '\n\n'
        + _('If it was you, sign in instead: {address}', address=f'{site}/login')
        + '\n'
        + _('If you do not remember your password, set a new one: {address}', address=f'{site}/forgot')
        + '\n\n'
        + _('If it was not you, you can ignore this e-mail: your account and its password stay as they were.')
        + '\n'
    )
    subject = _('Someone tried to sign up with your email address')
    queue_mail(session, clinic, kind='sign-up notice', to=to, subject=subject, text=text)


def email_of_link(clinic: Clinic, *, token: str) -> str | None:
    """The address a link would confirm, or None if it no longer works (opening the page confirms nothing yet)."""
    with clinic.db.reading() as session:
        found = _live_link(session, clinic, token)
        if found is None:
            return None
        return session.exec(select(User.email).where(User.id == found.user_id)).one()


def confirm_email(clinic: Clinic, *, token: str) -> Person:
    """Confirm the address a link was sent to, end the link and the account's earlier sign-ins; return who it is."""
    with clinic.db.writing() as session:
        found = _live_link(session, clinic, token)
        user = session.get(User, found.user_id) if found is not None else None
        if user is None or user.id is None or not user.is_active:
            raise NotFound(LINK_NO_LONGER_WORKS, field='token')
        if user.email_confirmed_at is None:
            user.email_confirmed_at = clinic.now()
            session.add(user)
        session.execute(delete(EmailConfirmation).where(col(EmailConfirmation.user_id) == user.id))
        end_sign_ins(session, user.id)  # someone who signed in with a pending sign-up's password is not its owner
        log.info('confirmed the email address of patient account %s', user.email)
        return load_actor(session, user.id)


def _live_link(session: Session, clinic: Clinic, token: str) -> EmailConfirmation | None:
    if not token or len(token) > 100:
        return None
    found = session.get(EmailConfirmation, _hash(token))
    return found if found is not None and found.expires_at > clinic.now() else None


def _hash(token: str) -> str:
    return hashlib.sha256(f'email confirmation {token}'.encode()).hexdigest()
