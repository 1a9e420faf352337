"""Domain errors: each carries a message a person can read, and optionally the form field it belongs to."""

from collections.abc import Sequence
from typing import Any


class ClinicError(Exception):
    """Base of every refusal the clinic's rules can give."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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
        super().__init__(' '.join(problem.message for problem in problems), field=problems[0].field)
        self.problems = list(problems)


class InvalidPeriod(InvalidInput):
    """An unavailability period that cannot be saved as given."""


class SlotTaken(ClinicError):
    """The time is no longer free."""


class SignInRefused(ClinicError):
    """Wrong email or password, or too many attempts; never says which."""


class AppointmentsInTheWay(ClinicError):
    """Blocking this time would hit booked appointments; the caller must decide to keep or cancel them."""

    def __init__(self, appointments: Sequence[Any]) -> None:
        count = len(appointments)
        noun = 'appointment is' if count == 1 else 'appointments are'
        super().__init__(f'{count} booked {noun} in this period.')
        self.appointments = list(appointments)
