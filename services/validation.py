"""Input rules shared by several use cases; each failure names the field it belongs to."""

import re

from .errors import InvalidInput

MAX_TEXT = 500
MAX_EMAIL = 254
MIN_PASSWORD = 8
MAX_SIGN_IN_PASSWORD = 1024  # twice what sign-up accepts: a longer one cannot be right and is never hashed
_EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')


def clean_text(value: str | None, *, field: str, label: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or '').strip()
    if required and not text:
        raise InvalidInput(f'{label} is required.', field=field)
    if len(text) > limit:
        raise InvalidInput(f'{label} is too long ({len(text)} characters; at most {limit}).', field=field)
    return text


def clean_email(value: str | None) -> str:
    email = clean_text(value, field='email', label='Email', required=True, limit=MAX_EMAIL).lower()
    if not _EMAIL.match(email):
        raise InvalidInput('Enter a valid email address, like name@example.com.', field='email')
    return email


def check_password(value: str | None) -> str:
    password = value or ''
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f'The password must have at least {MIN_PASSWORD} characters.', field='password')
    if len(password) > MAX_TEXT:
        raise InvalidInput(f'The password is too long (at most {MAX_TEXT} characters).', field='password')
    return password


def sign_in_input(email: str | None, password: str | None) -> tuple[str, str] | None:
    """The email as accounts keep it and the password, or None if no account can match them (too long, no email):
    such input is refused at once, never stored or hashed."""
    address = (email or '').strip().lower()
    secret = password or ''
    if len(address) > MAX_EMAIL or len(secret) > MAX_SIGN_IN_PASSWORD or not _EMAIL.match(address):
        return None
    return address, secret
