"""Clinic settings, read from CLINIC_* environment variables and command-line flags."""

from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import tzlocal
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _machine_timezone() -> str:
    try:
        return tzlocal.get_localzone_name() or 'UTC'
    except Exception:  # an unusual machine setup must not stop the clinic from starting
        return 'UTC'


class Settings(BaseSettings):
    """Everything that differs between one clinic's installation and another's."""

    model_config = SettingsConfigDict(env_prefix='CLINIC_', extra='ignore')

    data_dir: Path = Path('data')
    database_url: str | None = None
    timezone: str = Field(default_factory=_machine_timezone)
    host: str = '127.0.0.1'
    port: int = 8080
    demo: bool = False
    storage_secret: str | None = None
    admin_email: str | None = None
    admin_password: str | None = None
    min_notice_minutes: int = Field(default=0, ge=0)
    booking_horizon_days: int = Field(default=60, ge=1, le=730)
    public_slot_feed: bool = False  # the API's live feed of free times without a token (for the clinic's website)
    # webhooks may go to loopback, private and link-local addresses (the clinic's own network); off, so a stolen
    # front-desk sign-in cannot make the server post into the network it sits in
    webhook_private_addresses: bool = False
    default_language: str = 'en'  # for visitors whose browser asks for no offered language, and e-mails to them
    languages: str = 'en,es,de'  # the languages offered, comma-separated (each needs a catalog in locales/)
    slot_feed_listeners: int = Field(default=2000, ge=1)  # live-feed connections one process keeps open at most
    slot_feed_per_address: int = Field(default=50, ge=1)  # ... and from one visitor's address
    offer_hold_minutes: int = Field(default=10, ge=1, le=24 * 60)  # how long time freed for the waitlist is held
    reminder_lead_minutes: list[int] = Field(default=[24 * 60, 120])  # e.g. CLINIC_REMINDER_LEAD_MINUTES='[1440,120]'
    smtp_host: str | None = None  # reminders are e-mailed only when this is set; otherwise they are logged
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = 'clinic@localhost'
    smtp_starttls: bool = True
    clinic_name: str = 'Clinic'  # in e-mails and calendar invitations
    clinic_address: str = ''  # the invitations' location
    patient_confirmations: bool = True  # e-mail patients a confirmation of each booking, move and cancellation
    doctor_confirmations: bool = False  # e-mail each doctor the same of their own appointments (an invitation each)
    email_reminders: bool = True  # e-mail patients their reminders (which always reach the bell)
    # the address patients open the clinic at (e.g. https://clinic.example), for the links in e-mails; never taken from
    # a request's Host header, which the sender of the request chooses. Unset: http://host:port
    public_url: str | None = None
    # Security (see docs/RELIABILITY.md, "Tried by an attacker")
    # addresses (or networks) whose X-Forwarded-For/-Proto are believed: by default a proxy on this machine
    trusted_proxies: list[str] = Field(default=['127.0.0.1', '::1'])
    max_future_bookings: int = Field(default=8, ge=1, le=500)  # per patient, all doctors together
    max_bookings_per_doctor_day: int = Field(default=2, ge=1, le=50)  # per patient, with one doctor on one day
    page_loads_per_minute: int = Field(default=120, ge=1)  # per client address; beyond it the answer is 429
    secure_cookies: bool = False  # mark cookies Secure on every response (else only on those that came over HTTPS)

    @field_validator('timezone')
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone name
        return value

    @property
    def offered_languages(self) -> tuple[str, ...]:
        """The languages offered, the default first."""
        codes = [code.strip() for code in self.languages.split(',') if code.strip()]
        return tuple(dict.fromkeys([self.default_language, *codes]))

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def site_url(self) -> str:
        return (self.public_url or f'http://{self.host}:{self.port}').rstrip('/')

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f'sqlite:///{(self.data_dir / "clinic.db").resolve()}'
