"""The form that marks a doctor's time unavailable, or edits a period already marked."""

from datetime import datetime

from nicegui import ui

from services.availability import (
    InTheWay,
    PeriodOverlaps,
    classify_reason,
    mark_unavailable,
    remove_unavailability,
    update_unavailability,
)
from services.clinic import Clinic
from services.errors import AppointmentsInTheWay, ClinicError
from services.local_time import format_moment, parse_moment
from services.read_models.values import Period, Person

from ..language import N_, _, span_words
from .calls import call, clear_errors, show_error
from .confirm import confirm
from .conflict_dialog import ask_about_appointments
from .hooks import testid
from .notices import popup

REASON_SUGGESTIONS = [N_('Vacation'), N_('Conference'), N_('Sick leave'), N_('Personal'), N_('Training')]
REASON_WORDS = {  # a period's kind of reason, when it has no note
    'vacation': N_('Vacation'),
    'conference': N_('Conference'),
    'sick': N_('Sick'),
    'personal': N_('Personal'),
    'other': N_('Other'),
}


class PeriodForm:
    def __init__(self, clinic: Clinic, actor: Person, doctor_id: int) -> None:
        self.clinic, self.actor, self.doctor_id = clinic, actor, doctor_id
        self.tz = clinic.tz
        self.client_id = ui.context.client.id
        self.editing: Period | None = None
        suggestions = [_(text) for text in REASON_SUGGESTIONS]
        # a suggestion or reason in this page's language is sorted as its English text would be (classify_reason)
        self.english = {_(text): text for text in (*REASON_SUGGESTIONS, *REASON_WORDS.values())}
        self.title = ui.label(_('Mark time unavailable')).classes('text-lg font-medium')
        with ui.row().classes('w-full gap-3 items-start'):
            self.start = _moment_field(_('From'), 'unavailability-start')
            self.end = _moment_field(_('Until'), 'unavailability-end')
            self.reason = testid(
                ui.input(_('Reason'), autocomplete=suggestions)
                .props('outlined maxlength=500')
                .classes('grow min-w-[12rem]'),
                'unavailability-reason',
            )
        self.fields = {'start': self.start, 'end': self.end, 'note': self.reason}
        self.message = ui.label().classes('text-negative').mark('unavailability-message')
        self.message.visible = False
        with ui.row().classes('gap-2'):
            self.submit = testid(
                ui.button(_('Mark unavailable'), icon='event_busy', on_click=self._save), 'unavailability-submit'
            )
            self.stop_editing = ui.button(_('Stop editing'), on_click=self.reset).props('flat')
            self.stop_editing.visible = False

    def edit(self, period: Period) -> None:
        self.editing = period
        self.start.value = format_moment(period.starts_at, self.tz)
        self.end.value = format_moment(period.ends_at, self.tz)
        self.reason.value = period.note or _(REASON_WORDS[period.reason.value])
        self.title.set_text(_('Edit unavailable period'))
        self.submit.set_text(_('Save changes'))
        self.stop_editing.visible = True
        clear_errors(self.fields, fallback=self.message)

    def reset(self) -> None:
        self.editing = None
        self.start.value = self.end.value = self.reason.value = ''
        self.title.set_text(_('Mark time unavailable'))
        self.submit.set_text(_('Mark unavailable'))
        self.stop_editing.visible = False
        clear_errors(self.fields, fallback=self.message)

    def forget(self, period: Period) -> None:
        """Stop editing this period if it is the one being edited (it was just removed from this page)."""
        if self.editing is not None and self.editing.id == period.id:
            self.reset()

    def keep_up_with(self, periods: tuple[Period, ...]) -> None:
        """Stop editing a period that was removed meanwhile (in another tab, or by someone else), and say so."""
        if self.editing is not None and self.editing.id not in {p.id for p in periods}:
            self.reset()
            self.message.set_text(_('The period you were editing was removed.'))
            self.message.visible = True

    async def _save(self, in_the_way: InTheWay | None = None) -> None:
        clear_errors(self.fields, fallback=self.message)
        try:
            starts_at = parse_moment(self.start.value, self.tz, field='start')
            ends_at = parse_moment(self.end.value, self.tz, field='end')
            text = (self.reason.value or '').strip()
            common = dict(
                actor_id=self.actor.id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=classify_reason(self.english.get(text, text)),
                note=text,
                in_the_way=in_the_way,
                origin=self.client_id,
            )
            self.submit.enabled = False
            if self.editing is None:
                await call(mark_unavailable, self.clinic, doctor_id=self.doctor_id, **common)
            else:
                await call(update_unavailability, self.clinic, period_id=self.editing.id, **common)
        except AppointmentsInTheWay as conflict:
            self.submit.enabled = True
            choice = await ask_about_appointments(conflict.appointments, self.tz)
            if choice is not None:
                await self._save(choice)
            return
        except PeriodOverlaps as overlap:
            self.submit.enabled = True
            show_error(overlap, self.fields, fallback=self.message)
            await self._offer_to_extend(overlap.existing, starts_at, ends_at)
            return
        except ClinicError as error:
            show_error(error, self.fields, fallback=self.message)
            return
        finally:
            self.submit.enabled = True
        popup(_saved_words(edited=self.editing is not None, cancelled=in_the_way is InTheWay.cancel), 'positive')
        self.reset()

    async def _offer_to_extend(self, existing: Period, starts_at: datetime, ends_at: datetime) -> None:
        """Ask to stretch the period already there over both; the one being edited then goes, as it is covered."""
        union = min(starts_at, existing.starts_at), max(ends_at, existing.ends_at)
        text = _(
            '{span} overlaps the unavailable period {existing}. Extend that period to {union} to cover both?',
            span=span_words(starts_at, ends_at, self.tz),
            existing=span_words(existing.starts_at, existing.ends_at, self.tz),
            union=span_words(*union, self.tz),
        )
        if self.editing is not None:
            text += ' ' + _('The period you were editing is then removed.')
        if await confirm(_('Extend the existing period?'), text, _('Extend it'), danger=False) is not None:
            await self._extend(existing, *union)

    async def _extend(
        self, existing: Period, starts_at: datetime, ends_at: datetime, in_the_way: InTheWay | None = None
    ) -> None:
        clear_errors(self.fields, fallback=self.message)
        try:
            await call(
                update_unavailability,
                self.clinic,
                actor_id=self.actor.id,
                period_id=existing.id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=existing.reason,
                note=existing.note,
                in_the_way=in_the_way,
                origin=self.client_id,
            )
            if self.editing is not None:
                ids = {'actor_id': self.actor.id, 'period_id': self.editing.id, 'origin': self.client_id}
                await call(remove_unavailability, self.clinic, **ids)
        except AppointmentsInTheWay as conflict:
            choice = await ask_about_appointments(conflict.appointments, self.tz)
            if choice is not None:
                await self._extend(existing, starts_at, ends_at, choice)
            return
        except ClinicError as error:
            show_error(error, self.fields, fallback=self.message)
            return
        span = span_words(starts_at, ends_at, self.tz)
        if in_the_way is InTheWay.cancel:
            done = _(
                'The period now covers {span}; the patients were told their appointments are cancelled.', span=span
            )
        else:
            done = _('The period now covers {span}.', span=span)
        popup(done, 'positive')
        self.reset()


def _moment_field(label: str, hook: str) -> ui.input:
    field = (
        ui.input(label, placeholder=_('YYYY-MM-DD HH:MM')).props('outlined stack-label maxlength=16').classes('w-52')
    )
    return testid(field, hook)


def _saved_words(*, edited: bool, cancelled: bool) -> str:
    """What the form did, and whether the patients in the way were told their appointments are cancelled."""
    if edited:
        if cancelled:
            return _('Period saved; the patients were told their appointments are cancelled.')
        return _('Period saved.')
    if cancelled:
        return _('Time marked unavailable; the patients were told their appointments are cancelled.')
    return _('Time marked unavailable.')
