"""Which doctor and day the booking page shows: a doctor from the (live) list, and a date typed, picked on a calendar
or stepped by a day. A date that is no date, or a day that cannot be booked, is explained next to the field."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from nicegui import ui

from services.booking import require_bookable_day
from services.clinic import Clinic
from services.errors import InvalidInput
from services.local_time import DAY_FORMAT, parse_day
from services.read_models.doctors import BookableDoctors
from services.read_models.values import DoctorCard

from ..language import _, day_words
from .hooks import testid


class DoctorDayChoice:
    def __init__(
        self,
        clinic: Clinic,
        doctors: BookableDoctors,
        *,
        doctor_id: int | None,
        day: str | None,
        on_change: Callable[[], Any],
    ) -> None:
        self.clinic = clinic
        self.doctors = doctors
        known = {d.id for d in doctors.doctors}
        first = doctors.doctors[0].id if doctors.doctors else None
        with ui.row().classes('w-full gap-3 items-start'):
            self.doctor = testid(
                ui.select(
                    _labels(doctors.doctors),
                    label=_('Doctor'),
                    value=doctor_id if doctor_id in known else first,
                    on_change=on_change,
                )
                .props('outlined')
                .classes('grow min-w-[16rem]'),
                'book-doctor',
            )
            if doctor_id is not None and doctor_id not in known:  # an old link, or a doctor no longer booking
                self.doctor.props['error'] = True
                self.doctor.props['error-message'] = _('That doctor is not taking bookings here. Choose a doctor.')
                self.doctor.on_value_change(lambda: self.doctor.props(remove='error error-message'))
            with ui.row().classes('items-start gap-1 no-wrap'):
                self._step_button('chevron_left', -1, _('Previous day'))
                self.day = testid(
                    ui.input(
                        _('Date'),
                        placeholder=_('YYYY-MM-DD'),
                        value=(day or '')[:10] or clinic.today().strftime(DAY_FORMAT),
                        on_change=on_change,
                    )
                    .props('outlined stack-label maxlength=10')
                    .classes('w-44'),
                    'book-date',
                )
                with self.day.add_slot('append'):
                    self._calendar_button()
                self._step_button('chevron_right', 1, _('Next day'))

    def chosen(self) -> tuple[int, date] | None:
        """The chosen doctor and day; None without a doctor, while the date is being typed, or when it is no date.

        A real day that cannot be booked (past, beyond the horizon) is chosen, and explained next to the date.
        """
        text = self.day.value or ''
        if self.doctor.value is None or len(text) < 10:
            self.day.error = None
            return None
        try:
            day = parse_day(text)
        except InvalidInput as error:
            self.day.error = error.message
            return None
        self.bookable(day)
        return self.doctor.value, day

    def bookable(self, day: date) -> bool:
        """Whether `day` can be booked today; if not, say why next to the date (checked again as days pass)."""
        try:
            require_bookable_day(self.clinic, day)
        except InvalidInput as error:
            self.day.error = error.message
            return False
        self.day.error = None
        return True

    def set_doctors(self, doctors: BookableDoctors) -> None:
        """Offer a new list of doctors, keeping the current pick even if it left the list."""
        self.doctors = doctors
        shown = self.doctor.options if isinstance(self.doctor.options, dict) else {}
        options = _labels(doctors.doctors)
        picked = self.doctor.value
        if picked is not None and picked not in options:
            options[picked] = shown.get(picked, '')
        self.doctor.set_options(options, value=picked)

    def _calendar_button(self) -> None:
        """A real button (focusable, named, opened with Enter or Space) with a calendar that fits a phone."""
        self._dialog: ui.dialog | None = None
        button = ui.button(icon='event', on_click=self._open_calendar).props('flat round dense')
        button.props['aria-label'] = _('Choose a date on a calendar')
        testid(button, 'book-calendar-open')

    def _calendar(self) -> ui.dialog:
        """The calendar's dialog, made when first opened: most visits never open it, and every open page's elements
        cost the server memory."""
        if self._dialog is None:
            with ui.dialog() as self._dialog, ui.card().classes('p-2 items-center'):
                self._dialog.props['aria-label'] = _('Choose a date')
                self.calendar = (
                    ui.date(mask='YYYY-MM-DD', on_change=self._dialog.close)
                    .bind_value(self.day)
                    .props('first-day-of-week=1 minimal')
                    .classes('max-w-full')
                    .mark('book-calendar')
                )
                self.closed_note = ui.label().classes('text-sm text-grey-8 max-w-xs').mark('book-closed-days')
                ui.button(_('Close'), on_click=self._dialog.close).props('flat')
        return self._dialog

    def _open_calendar(self) -> None:
        """Offer only the days that can be booked with the chosen doctor: from today to the horizon, on working days."""
        dialog = self._calendar()
        today, last = self.clinic.today(), self.clinic.last_bookable_day()
        weekdays = self.doctors.weekdays_of(self.doctor.value)
        closed = self.doctors.closed_for(self.doctor.value)
        days = (today + timedelta(days=n) for n in range((last - today).days + 1))
        self.calendar.props['options'] = [f'{d:%Y/%m/%d}' for d in days if d.weekday() in weekdays and d not in closed]
        self.closed_note.set_text(
            ' '.join(
                _('Clinic closed on {day}: {name}.', day=day_words(day), name=name)
                for day, name in sorted(closed.items())
            )
        )
        self.closed_note.visible = bool(closed)
        self.calendar.props['navigation-min-year-month'] = f'{today:%Y/%m}'
        self.calendar.props['navigation-max-year-month'] = f'{last:%Y/%m}'
        self.calendar.update()
        dialog.open()

    def _step_button(self, icon: str, days: int, label: str) -> None:
        button = ui.button(icon=icon, on_click=lambda: self._step(days)).props('flat round dense').classes('q-mt-sm')
        button.props['aria-label'] = label

    def _step(self, days: int) -> None:
        try:
            day = parse_day(self.day.value)
        except InvalidInput:
            day = self.clinic.today()
        self.day.value = (day + timedelta(days=days)).strftime(DAY_FORMAT)


def _labels(doctors: tuple[DoctorCard, ...]) -> dict[int, str]:
    return {d.id: f'{d.full_name} · {d.specialty}' for d in doctors}
