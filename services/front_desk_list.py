"""The front desk's appointment list: the filter it is read with, and its export as a CSV file for a spreadsheet."""

import csv
import io
from collections.abc import Iterable

from models import AppointmentStatus, Doctor

from .access import load_actor, require_front_desk
from .cancel_reasons import STAFF_CANCEL_REASONS
from .clinic import Clinic
from .errors import InvalidInput, InvalidInputs
from .i18n import N_, translate
from .local_time import parse_day
from .read_models.appointments import AppointmentFilter, filtered_appointments, patient_contacts
from .read_models.values import AppointmentInfo

ALL = 'all'
STATUS_WORDS = {  # translated where shown
    AppointmentStatus.booked: N_('Booked'),
    AppointmentStatus.cancelled: N_('Cancelled'),
    AppointmentStatus.completed: N_('Completed'),
    AppointmentStatus.no_show: N_('No-show'),
}
CSV_HEADER = (  # in the language of whoever exports the list
    N_('Date'),
    N_('Start'),
    N_('End'),
    N_('Doctor'),
    N_('Patient'),
    N_('Patient email'),
    N_('Patient phone'),
    N_('Reason'),
    N_('Status'),
    N_('Cancelled by'),
    N_('Cancel reason'),
)
# A cell starting with one of these is a formula to a spreadsheet (OWASP's list): `=HYPERLINK(...)` in a reason
# must stay text, so such a cell starts with an apostrophe instead.
_FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
MAX_PATIENT_TEXT = 200


def front_desk_filter(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int | None,
    first_day: str,
    last_day: str,
    status: str,
    patient: str,
) -> AppointmentFilter:
    """Read the front desk's filter as typed; every field that is wrong says so next to itself."""
    problems: list[InvalidInput] = []
    days = []
    for text, field in ((first_day, 'from'), (last_day, 'until')):
        try:
            days.append(parse_day(text, field=field))
        except InvalidInput as problem:
            problems.append(problem)
    if len(days) == 2 and days[1] < days[0]:
        problems.append(
            InvalidInput(
                N_('The last day comes before the first ({day}): swap them.'), field='until', day=f'{days[0]:%Y-%m-%d}'
            )
        )
    try:
        wanted = None if status == ALL else AppointmentStatus(status)
    except ValueError:
        problems.append(InvalidInput(N_('Choose a status from the list.'), field='status'))
    text = ' '.join((patient or '').split())
    if len(text) > MAX_PATIENT_TEXT:
        problems.append(InvalidInput(N_('Type at most {count} characters.'), field='patient', count=MAX_PATIENT_TEXT))
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        if doctor_id is not None and session.get(Doctor, doctor_id) is None:
            problems.append(InvalidInput(N_('Choose a doctor from the list.'), field='doctor'))
    if problems:
        raise InvalidInputs(problems)
    return AppointmentFilter(first_day=days[0], last_day=days[1], doctor_id=doctor_id, status=wanted, patient=text)


def export_appointments(clinic: Clinic, *, actor_id: int, which: AppointmentFilter) -> bytes:
    """Return every appointment the filter matches as CSV (UTF-8 with a byte-order mark, so Excel reads names right),
    its headings and statuses in the exporter's language."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        appointments = filtered_appointments(session, clinic, which)
        contacts = patient_contacts(session, (a.patient_id for a in appointments))
    language = clinic.language_of(actor.language)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([translate(language, heading) for heading in CSV_HEADER])
    writer.writerows(_safe(_cells(a, contacts.get(a.patient_id, ('', '')), clinic, language)) for a in appointments)
    return out.getvalue().encode('utf-8-sig')


def export_filename(which: AppointmentFilter) -> str:
    return f'appointments-{which.first_day:%Y-%m-%d}-to-{which.last_day:%Y-%m-%d}.csv'


def _cells(a: AppointmentInfo, contact: tuple[str, str], clinic: Clinic, language: str) -> list[str]:
    start, end = a.starts_at.astimezone(clinic.tz), a.ends_at.astimezone(clinic.tz)
    cancelled = a.status is AppointmentStatus.cancelled
    email, phone = contact
    why = translate(language, a.cancel_reason) if a.cancel_reason in STAFF_CANCEL_REASONS else a.cancel_reason
    return [
        f'{start:%Y-%m-%d}',
        f'{start:%H:%M}',
        f'{end:%H:%M}',
        a.doctor_name,
        a.patient_name,
        email,
        phone,
        a.reason,
        translate(language, STATUS_WORDS[a.status]),
        a.cancelled_by if cancelled else '',
        why if cancelled else '',
    ]


def _safe(cells: Iterable[str]) -> list[str]:
    return [f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell for cell in cells]
