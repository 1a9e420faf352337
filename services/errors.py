"""Domain errors: each carries a message a person can read, and optionally the form field it belongs to.

A message is a text marked for the catalogs (`N_`) with `{placeholders}` and their values, so it reads right in every
language: `message` words it in the language of the page that shows it (English elsewhere: the API, the logs).
"""

from collections.abc import Sequence
from typing import Any

from .i18n import N_plural, reading_language, translate, translate_plural


class ClinicError(Exception):
    """Base of every refusal the clinic's rules can give. `message` is the English text (marked with `N_` where it
    is written) with `{placeholders}` filled from `params`; with `many`, it is the singular and `many` the plural
    form, chosen by `params['count']`."""

    def __init__(self, message: str, *, field: str | None = None, many: str | None = None, **params: Any) -> None:
        self.template, self.many, self.params, self.field = message, many, params, field
        super().__init__(self.in_language('en'))

    @property
    def message(self) -> str:
        """The message in the language of whoever reads it now (a page's, else English)."""
        return self.in_language(reading_language())

    def in_language(self, language: str) -> str:
        if self.many is not None:
            params = {key: value for key, value in self.params.items() if key != 'count'}
            return translate_plural(language, self.template, self.many, int(self.params['count']), **params)
        return translate(language, self.template, **self.params) if self.params else translate(language, self.template)


class NotAllowed(ClinicError):
    """The person is not allowed to do this."""


class SessionEnded(NotAllowed):
    """The signed-in account no longer exists or was deactivated: the browser must sign in again."""


class NotFound(ClinicError):
    """The thing asked for does not exist (or is not visible to this person)."""


class InvalidInput(ClinicError):
    """The input breaks a rule; `field` names the form field to show the message next to."""


class InvalidInputs(InvalidInput):
    """Several fields break a rule: `problems` holds each one's refusal, so a form can show them all at once."""

    def __init__(self, problems: Sequence[InvalidInput]) -> None:
        self.problems = list(problems)
        super().__init__(problems[0].template, field=problems[0].field)

    def in_language(self, language: str) -> str:
        return ' '.join(problem.in_language(language) for problem in self.problems)


class InvalidPeriod(InvalidInput):
    """An unavailability period that cannot be saved as given."""


class SlotTaken(ClinicError):
    """The time is no longer free."""


class SignInRefused(ClinicError):
    """Wrong email or password, or too many attempts; never says which."""


class AppointmentsInTheWay(ClinicError):
    """Blocking this time would hit booked appointments; the caller must decide to keep or cancel them."""

    def __init__(self, appointments: Sequence[Any]) -> None:
        one, many = N_plural(
            '{count} booked appointment is in this period.', '{count} booked appointments are in this period.'
        )
        super().__init__(one, many=many, count=len(appointments))
        self.appointments = list(appointments)
