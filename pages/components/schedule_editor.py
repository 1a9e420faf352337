"""The schedule editor shared by a doctor's /schedule and the admin's view of any doctor."""

from zoneinfo import ZoneInfo

from nicegui import ui

from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.live.events import CHANGE_WORDS, Change, ScheduleChanged
from services.live.shared_views import Update
from services.read_models.values import DoctorSchedule, Person
from services.schedule import doctor_schedule

from ..language import _, span_words
from .calls import call
from .doctor_appointments import DoctorAppointments
from .follow import Follower, by_someone_else
from .notices import popup
from .period_form import PeriodForm
from .period_list import PeriodList
from .visit_types_card import VisitTypesCard
from .working_hours import WorkingHoursCard


async def schedule_editor(clinic: Clinic, boards: LiveBoards, actor: Person, doctor_id: int) -> None:
    """Build the editor and follow the doctor's schedule live."""
    await call(doctor_schedule, clinic, actor_id=actor.id, doctor_id=doctor_id)  # refuses anyone else
    editor = ScheduleEditor(clinic, actor, doctor_id)
    value = await editor.follower.follow(boards.schedules, doctor_id)
    if value is not None:
        editor.show(value)


class ScheduleEditor:
    def __init__(self, clinic: Clinic, actor: Person, doctor_id: int) -> None:
        self.client_id = ui.context.client.id
        self.tz = clinic.tz
        with ui.card().classes('w-full gap-3') as card:
            self.form = PeriodForm(clinic, actor, doctor_id)
        self.periods = PeriodList(clinic, actor, on_edit=self.form.edit, on_removed=self.form.forget)
        self.appointments = DoctorAppointments(clinic, actor)
        self.hours = WorkingHoursCard(clinic, actor, doctor_id)
        self.types = VisitTypesCard(clinic, actor, doctor_id)
        self.follower: Follower[int, DoctorSchedule] = Follower(self._on_update, anchor=card)

    def show(self, schedule: DoctorSchedule) -> None:
        self.periods.show(schedule.periods)
        self.appointments.show(schedule)
        self.hours.show(schedule)
        self.types.show(schedule.types)
        self.form.keep_up_with(schedule.periods)

    def _on_update(self, update: Update[DoctorSchedule]) -> None:
        self.show(update.value)
        event = by_someone_else(update, self.client_id)
        if event is not None:
            popup(_what_changed(event, self.tz), 'info')


def _what_changed(event: ScheduleChanged, tz: ZoneInfo) -> str:
    """Who changed what, in this page's language, naming the period's times when the event carries them."""
    who = _(event.actor_name)
    spans = [span_words(start, end, tz) for start, end in event.spans]
    if event.change is Change.period_added and len(spans) == 1:
        return _('Schedule changed by {who}: marked {span} unavailable.', who=who, span=spans[0])
    if event.change is Change.period_removed and len(spans) == 1:
        return _('Schedule changed by {who}: removed the unavailable period {span}.', who=who, span=spans[0])
    if event.change is Change.period_changed and len(spans) == 2:
        return _(
            'Schedule changed by {who}: changed the unavailable period {before} to {after}.',
            who=who,
            before=spans[0],
            after=spans[1],
        )
    return _('Schedule changed by {who}: {what}.', who=who, what=_(CHANGE_WORDS[event.change]))
