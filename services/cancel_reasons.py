"""The short list of reasons a doctor or the front desk gives a patient when cancelling their appointment.

Each is a sentence the patient reads as it is (in their appointment list, their inbox and the popup), so it says
nothing private: never why a doctor is away. They are stored as written (in English) and translated where they are
shown, so each reader gets them in their own language.
"""

from .i18n import N_

DOCTOR_UNAVAILABLE = N_('The doctor is unavailable at that time.')

PLEASE_BOOK_AGAIN = N_('Please book a new time.')

CLINIC_CLOSED = N_('The clinic is closed that day.')

STAFF_CANCEL_REASONS = (  # the first is offered first: true whatever the cause, for a click straight through
    PLEASE_BOOK_AGAIN,
    DOCTOR_UNAVAILABLE,
    N_('It was booked by mistake.'),
    N_("Cancelled at the patient's request."),
    CLINIC_CLOSED,
)
