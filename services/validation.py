"""Input rules shared by several use cases; each failure names the field it belongs to."""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from zxcvbn import zxcvbn
from zxcvbn.matching import RANKED_DICTIONARIES

from .errors import InvalidInput, InvalidInputs
from .i18n import N_, N_plural, translate

MAX_TEXT = 500
MAX_EMAIL = 254
MIN_PASSWORD = 10
TOO_SHORT, TOO_SHORT_MANY = N_plural('Use at least {count} character.', 'Use at least {count} characters.')
TOO_COMMON = N_('This password is too common; choose another.')
_COMMON_PASSWORDS = RANKED_DICTIONARIES['passwords']  # zxcvbn's list of the 30,000 most common passwords
_ESTIMATED = 72  # zxcvbn's own limit: the first 72 characters decide how guessable a password is
MAX_SIGN_IN_PASSWORD = 1024  # twice what sign-up accepts: a longer one cannot be right and is never hashed
_EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')


class LabelledInput(InvalidInput):
    """A refusal that names its field by the field's label: each of `words` (a `{placeholder}` and its text, marked
    with `N_` where it is written, such as `label=N_('Name')`) is read in the same language as the sentence."""

    def __init__(self, message: str, *, words: Mapping[str, str], field: str | None = None, **params: Any) -> None:
        self.words = dict(words)
        super().__init__(message, field=field, **params, **self.words)

    def in_language(self, language: str) -> str:
        words = {key: translate(language, text) for key, text in self.words.items()}
        return translate(language, self.template, **{**self.params, **words})


def clean_text(value: str | None, *, field: str, label: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    """`value` trimmed, refused when missing (if `required`) or too long; `label` names the field in the refusal
    (mark it with `N_` where it is written, so the refusal reads right in every language)."""
    text = (value or '').strip()
    if required and not text:
        raise LabelledInput(N_('{label} is required.'), words={'label': label}, field=field)
    if len(text) > limit:
        raise LabelledInput(
            N_('{label} is too long ({length} characters; at most {limit}).'),
            words={'label': label},
            field=field,
            length=len(text),
            limit=limit,
        )
    return text


def clean_email(value: str | None) -> str:
    email = clean_text(value, field='email', label=N_('Email'), required=True, limit=MAX_EMAIL).lower()
    if not _EMAIL.match(email):
        raise InvalidInput(N_('Enter a valid email address, like name@example.com.'), field='email')
    return email


def check_password(value: str | None, *, personal: Iterable[str] = ()) -> str:
    """A new password: at least MIN_PASSWORD characters, not one of the most common passwords, and not guessable
    at once by zxcvbn (a run like `aaaaaaaaaa`, a keyboard row, or the person's own `personal` name or email)."""
    password = value or ''
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(TOO_SHORT, many=TOO_SHORT_MANY, field='password', count=MIN_PASSWORD)
    if len(password) > MAX_TEXT:
        too_long = N_('The password is too long (at most {limit} characters).')
        raise InvalidInput(too_long, field='password', limit=MAX_TEXT)
    if password.lower() in _COMMON_PASSWORDS or zxcvbn(password[:_ESTIMATED], user_inputs=list(personal))['score'] == 0:
        raise InvalidInput(TOO_COMMON, field='password')
    return password


class EveryProblem:
    """Run several field checks, keeping going past a refusal; `raise_them` then refuses with all of them at once."""

    def __init__(self) -> None:
        self.problems: list[InvalidInput] = []

    def check(self, rule: Callable[..., str], *args: object, **kwargs: object) -> str:
        """The cleaned value, or '' when the rule refused it (the refusal is kept)."""
        try:
            return rule(*args, **kwargs)
        except InvalidInput as problem:
            self.problems.append(problem)
            return ''

    def raise_them(self) -> None:
        if self.problems:
            raise InvalidInputs(self.problems)


def sign_in_input(email: str | None, password: str | None) -> tuple[str, str] | None:
    """The email as accounts keep it and the password, or None if no account can match them (too long, no email):
    such input is refused at once, never stored or hashed."""
    address = (email or '').strip().lower()
    secret = password or ''
    if len(address) > MAX_EMAIL or len(secret) > MAX_SIGN_IN_PASSWORD or not _EMAIL.match(address):
        return None
    return address, secret
