"""The clinic's pages; `register_pages` adds them all to the app."""

from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.scheduler import ClinicScheduler

from . import (
    accounts,
    admin,
    api,
    appointments,
    book,
    calendar_feeds,
    calendar_files,
    confirm_email,
    desk,
    errors,
    forgot,
    health,
    language_switch,
    login,
    profile,
    register,
    schedule,
)
from .components.theme import apply_theme


def register_pages(clinic: Clinic, boards: LiveBoards, scheduler: ClinicScheduler) -> None:
    apply_theme()
    errors.register(clinic)
    login.register(clinic)
    language_switch.register(clinic)
    register.register(clinic)
    confirm_email.register(clinic)
    forgot.register(clinic)
    profile.register(clinic, boards)
    accounts.register(clinic, boards)
    book.register(clinic, boards)
    desk.register(clinic, boards)
    appointments.register(clinic, boards)
    calendar_files.register(clinic)
    calendar_feeds.register(clinic)
    api.register(clinic, boards)
    schedule.register(clinic, boards)
    admin.register(clinic, boards, scheduler)
    health.register(clinic, boards, scheduler)
