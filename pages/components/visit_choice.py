"""Which kind of visit the booking page shows free times for: the kinds the chosen doctor offers to this booker (a
patient: those patients may book; the front desk: all), the doctor's first unless the person picks another."""

from collections.abc import Callable

from nicegui import ui

from services.read_models.values import DaySlots, VisitType

from ..language import _, current_language
from .hooks import testid


class VisitChoice:
    def __init__(self, *, wanted: int | None, staff: bool, on_change: Callable[[], None]) -> None:
        self.staff = staff
        self._wanted = wanted  # asked for by the address: kept until the doctor's kinds are known
        self._only: int | None = None
        self._kinds: tuple[VisitType, ...] = ()
        self._on_change, self._offering = on_change, False
        self.select = testid(
            ui.select({}, label=_('Kind of visit'), on_change=self._changed).props('outlined').classes('min-w-[16rem]'),
            'book-type',
        )

    def _changed(self) -> None:
        if not self._offering:  # the person's choice, not a new list of kinds
            self._on_change()

    @property
    def kind(self) -> VisitType | None:
        return next((kind for kind in self._kinds if kind.id == self.select.value), None)

    def offer(self, slots: DaySlots) -> VisitType | None:
        """Offer the kinds of the shown doctor and keep the one chosen while it is offered; return a chosen kind that
        is no longer offered (the person is told), else None."""
        kinds = tuple(e.kind for e in slots.by_type if self._offered(e.kind))
        if kinds == self._kinds:
            return None
        was, chosen = self.kind, self.select.value if self._wanted is None else self._wanted
        self._wanted = None
        self._kinds = kinds
        same_doctor = was is not None and was.doctor_id == slots.doctor_id
        known = {kind.id for kind in kinds}
        value = chosen if chosen in known else (kinds[0].id if kinds else None)
        self._offering = True  # the caller shows the new kind's times itself
        try:
            self.select.set_options({kind.id: kind.label_in(current_language()) for kind in kinds}, value=value)
        finally:
            self._offering = False
        return was if same_doctor and was is not None and was.id not in known else None

    def _offered(self, kind: VisitType) -> bool:
        if self._only is not None:  # a move: its own kind, even one patients may not book themselves
            return kind.id == self._only
        return self.staff or kind.patients_may_book

    def keep_only(self, type_id: int) -> None:
        """A move keeps its kind of visit: offer only that one."""
        self._wanted = self._only = type_id
        self.select.disable()
