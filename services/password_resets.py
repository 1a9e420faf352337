"""Setting a new password by a single-use link: a forgotten password, or an account the front desk made being claimed.

Asking for a link (`request_reset`) answers alike for every address and takes as long: the link, if the address has
an active account, is written to the mail outbox with it and sent by the outbox's sender, after the answer (whose
e-mail keeps no working link once sent: services/outbox.py). An address gets at most LINKS_PER_HOUR
links an hour, and one visitor's requests slow down like its sign-ins (sign_in_limits.py, counted apart from them),
so nobody can mail a victim a thousand times. The front desk can also hand a patient a link (`desk_reset_link`).
A link's token is random and kept only as a SHA-256; it works once, for LINK_VALID_FOR by the clinic's clock. Using it
(`reset_password`) sets the password, uses up every link of the account, ends every sign-in it had, and confirms its
email address: a mailed link proves the mailbox, and a desk link is vouched for by the front desk, as every account
the clinic makes is.
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any, cast
from urllib.parse import urlencode

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, delete, func, select

from models import PasswordReset, Role, User

from .access import load_actor, require_front_desk
from .accounts import LOCAL, hash_password
from .audit import record
from .clinic import Clinic
from .email_checks import end_sign_ins, open_link, queue_confirmation_link
from .errors import InvalidInput, NotFound, SignInRefused
from .i18n import N_, N_plural, translator
from .live.events import MailQueued
from .outbox import queue_mail
from .read_models.values import Person
from .sign_in_limits import MAX_CLIENT, MustWait, record_attempt
from .validation import check_password, clean_email

log = logging.getLogger(__name__)

LINK_VALID_FOR = timedelta(hours=1)
MAIL_KIND, SUBJECT = 'password link', N_('Set a new password')
LINKS_PER_HOUR = 3  # links one address is sent in an hour, whoever asks
RESET_PATH = '/reset'
LINK_NO_LONGER_WORKS = N_(
    'This link no longer works: it was already used, or it is more than an hour old. Ask for a new one.'
)
ADDRESS_TAKEN = N_('Another account has this email address: use another, or ask the front desk.')
ANSWER = N_(  # {address}: the address asked for (a page words it with `_(ANSWER, address=...)`)
    'If {address} belongs to an account, a link to set a new password is on its way there. It works once, within '
    'an hour.'
)


def answer_to_request(address: str) -> str:
    """What a person who asked for a link is told, whether or not the address has an account (in English: a page
    shows `ANSWER` in its own language)."""
    return ANSWER.format(address=address)


def request_reset(clinic: Clinic, *, email: str, client: str = LOCAL) -> str:
    """Send a reset link to `email` if it has an active account; return the answer, the same for every address."""
    address = clean_email(email)
    try:
        with clinic.db.writing() as session:
            record_attempt(session, email=address, client=_requests_of(client), now=clinic.now())
    except MustWait as wait:
        one, many = N_plural(
            'Too many requests. Please try again in {count} second.',
            'Too many requests. Please try again in {count} seconds.',
        )
        raise SignInRefused(one, many=many, count=wait.seconds) from None
    with clinic.db.writing() as session:
        user = session.exec(select(User).where(User.email == address)).first()
        if user is not None and user.is_active and user.id is not None and _links_this_hour(session, clinic, user.id):
            token = _open_link(session, clinic, user.id)
            _queue_link(session, clinic, to=address, token=token, language=clinic.language_of(user.language))
    clinic.hub.publish(MailQueued())  # for every address alike, so the answer takes as long
    return answer_to_request(address)


def desk_reset_link(clinic: Clinic, *, actor_id: int, user_id: int) -> str:
    """Give the front desk a reset link for a patient standing there (also to claim an account the desk made)."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        user = session.get(User, user_id)
        if user is None or user.role is not Role.patient or not user.is_active:
            raise NotFound(N_('There is no active patient account like this.'), field='user')
        token = _open_link(session, clinic, user_id)
        record(session, clinic, actor=actor, action='account.password_link', after={'patient': user.full_name})
    return link_of(clinic, token)


def link_of(clinic: Clinic, token: str) -> str:
    """The link that opens the reset page with `token`, on the clinic's public address (never a request's host)."""
    return f'{clinic.settings.site_url}{RESET_PATH}?{urlencode({"token": token})}'


def link_works(clinic: Clinic, *, token: str) -> bool:
    """Whether a link can still set a password (opening its page uses nothing up)."""
    return needs_email(clinic, token=token) is not None


def needs_email(clinic: Clinic, *, token: str) -> bool | None:
    """Whether the link's account has no email yet (a walk-in claiming it gives one); None if the link is dead."""
    with clinic.db.reading() as session:
        found = _live_link(session, clinic, token)
        if found is None:
            return None
        return session.exec(select(User.email).where(User.id == found.user_id)).first() is None


def reset_password(clinic: Clinic, *, token: str, password: str, email: str = '') -> Person:
    """Set a new password with a link, once; end the account's sign-ins and links; return who it is.

    An account without an email (made by the front desk) needs one to sign in with: it is given here, and confirmed
    by the link then sent to it, as a sign-up's is."""
    with clinic.db.reading() as session:
        found = _live_link(session, clinic, token)
        user = session.get(User, found.user_id) if found is not None else None
    if user is None or user.id is None or not user.is_active:
        raise NotFound(LINK_NO_LONGER_WORKS, field='token')
    personal = [user.full_name, *user.full_name.split()]
    if user.email:
        personal += [user.email, user.email.partition('@')[0]]
    address = None
    if user.email is None:
        address = clean_email(email)
        personal += [address, address.partition('@')[0]]
    secret = check_password(password, personal=[word for word in personal if word])
    password_hash = hash_password(secret)
    now = clinic.now()
    with clinic.db.writing() as session:
        # the link is used up only if nobody used it meanwhile: of two racing uses, exactly one updates it
        result = session.execute(
            update(PasswordReset)
            .where(
                col(PasswordReset.token_hash) == _hash(token),
                col(PasswordReset.used_at).is_(None),
                col(PasswordReset.expires_at) > now,
            )
            .values(used_at=now)
        )
        if cast(CursorResult[Any], result).rowcount != 1:
            raise NotFound(LINK_NO_LONGER_WORKS, field='token')
        user = session.get(User, user.id)
        if user is None or user.id is None or not user.is_active:
            raise NotFound(LINK_NO_LONGER_WORKS, field='token')
        if user.email is None:  # claimed with a new address: it is confirmed by a link, as a sign-up's is
            address = address or clean_email(email)
            if session.exec(select(User.id).where(User.email == address)).first() is not None:
                raise InvalidInput(ADDRESS_TAKEN, field='email')
            user.email = address
            session.add(user)
            session.flush()
            link = open_link(session, clinic, user.id)
            queue_confirmation_link(session, clinic, to=address, token=link, language=user.language)
        elif user.email_confirmed_at is None:
            user.email_confirmed_at = now
        user.password_hash = password_hash
        session.add(user)
        session.execute(
            update(PasswordReset)
            .where(col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None))
            .values(used_at=now)
        )
        end_sign_ins(session, user.id)
        log.info('a reset link set a new password for account %s', user.id)
        person = load_actor(session, user.id)
    clinic.hub.publish(MailQueued())
    return person


def _open_link(session: Session, clinic: Clinic, user_id: int) -> str:
    now = clinic.now()
    session.execute(delete(PasswordReset).where(col(PasswordReset.expires_at) <= now - LINK_VALID_FOR))
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(token_hash=_hash(token), user_id=user_id, expires_at=now + LINK_VALID_FOR))
    return token


def _links_this_hour(session: Session, clinic: Clinic, user_id: int) -> bool:
    """Whether the account may be sent another link (every link lives an hour, so the live ones are this hour's)."""
    sent = session.exec(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.user_id == user_id, col(PasswordReset.expires_at) > clinic.now())
    ).one()
    return sent < LINKS_PER_HOUR


def _queue_link(session: Session, clinic: Clinic, *, to: str, token: str, language: str) -> None:
    """Write the e-mail with the link into the caller's transaction, in the account's language; without a mail
    server, log the link instead, so the clinic can still pass it on."""
    _ = translator(language)
    link = link_of(clinic, token)
    text = (
        _('Someone, we hope you, asked to set a new password for your account at the clinic.')
        + '\n\n'
        + _('To set one, open this link within an hour (it works once):')
        + f'\n\n{link}\n\n'
        + _('If you did not ask for this, ignore this e-mail: your password stays as it was.')
        + '\n'
    )
    expires = clinic.now() + LINK_VALID_FOR
    subject = _(SUBJECT)
    if queue_mail(session, clinic, kind=MAIL_KIND, to=to, subject=subject, text=text, link_expires_at=expires) is None:
        log.info('no SMTP configured, so this password link is not e-mailed; for %s: %s', to, link)


def _requests_of(client: str) -> str:
    """Where a visitor's reset requests are counted: apart from its sign-ins, by the same rules."""
    return f'reset {client}'[:MAX_CLIENT]


def _live_link(session: Session, clinic: Clinic, token: str) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    found = session.get(PasswordReset, _hash(token))
    if found is None or found.used_at is not None or found.expires_at <= clinic.now():
        return None
    return found


def _hash(token: str) -> str:
    return hashlib.sha256(f'password reset {token}'.encode()).hexdigest()
