"""Which doctor and day the booking page shows: a doctor from the list, and a date typed, picked or stepped by a day."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from nicegui import ui

from services.clinic import Clinic
from services.errors import InvalidInput
from services.local_time import DAY_FORMAT, parse_day
from services.read_models.values import DoctorCard

from .hooks import testid


class DoctorDayChoice:
    def __init__(
        self,
        clinic: Clinic,
        doctors: list[DoctorCard],
        *,
        doctor_id: int | None,
        day: str | None,
        on_change: Callable[[], Any],
    ) -> None:
        self.clinic = clinic
        known = {d.id for d in doctors}
        with ui.row().classes('w-full gap-3 items-start'):
            self.doctor = testid(
                ui.select(
                    {d.id: f'{d.full_name} · {d.specialty}' for d in doctors},
                    label='Doctor',
                    value=doctor_id if doctor_id in known else (doctors[0].id if doctors else None),
                    on_change=on_change,
                )
                .props('outlined')
                .classes('grow min-w-[16rem]'),
                'book-doctor',
            )
            with ui.row().classes('items-start gap-1 no-wrap'):
                self._step_button('chevron_left', -1, 'Previous day')
                self.day = testid(
                    ui.input(
                        'Date',
                        placeholder='YYYY-MM-DD',
                        value=(day or '')[:10] or clinic.today().strftime(DAY_FORMAT),
                        on_change=on_change,
                    )
                    .props('outlined stack-label maxlength=10')
                    .classes('w-44'),
                    'book-date',
                )
                with self.day.add_slot('append'):
                    with ui.icon('event').classes('cursor-pointer') as icon, ui.menu() as menu:
                        ui.date(mask='YYYY-MM-DD', on_change=menu.close).bind_value(self.day)
                    icon.on('click', menu.open)
                self._step_button('chevron_right', 1, 'Next day')

    def chosen(self) -> tuple[int, date] | None:
        """The chosen doctor and day; None without a doctor, while the date is being typed, or when it is no date."""
        self.day.error = None
        if self.doctor.value is None or len(self.day.value or '') < 10:
            return None
        try:
            return self.doctor.value, parse_day(self.day.value)
        except InvalidInput as error:
            self.day.error = error.message
            return None

    def _step_button(self, icon: str, days: int, label: str) -> None:
        ui.button(icon=icon, on_click=lambda: self._step(days)).props(f'flat round dense aria-label="{label}"').classes(
            'q-mt-sm'
        )

    def _step(self, days: int) -> None:
        try:
            day = parse_day(self.day.value)
        except InvalidInput:
            day = self.clinic.today()
        self.day.value = (day + timedelta(days=days)).strftime(DAY_FORMAT)
