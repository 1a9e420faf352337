"""Reading and writing the clinic's local wall-clock times, including the daylight-saving edge cases."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from .errors import InvalidInput
from .i18n import N_

DAY_FORMAT = '%Y-%m-%d'
MOMENT_FORMAT = '%Y-%m-%d %H:%M'
WEEKDAY_NAMES = (  # date.weekday(); translated where shown
    N_('Monday'),
    N_('Tuesday'),
    N_('Wednesday'),
    N_('Thursday'),
    N_('Friday'),
    N_('Saturday'),
    N_('Sunday'),
)


def parse_day(text: str | None, *, field: str = 'date') -> date:
    """Read a typed YYYY-MM-DD day."""
    value = (text or '').strip()
    try:
        return datetime.strptime(value, DAY_FORMAT).date()
    except ValueError:
        if re.fullmatch(r'\d{4}-\d{2}-\d{2}', value):  # written right, but no such day (2026-02-30)
            raise InvalidInput(
                N_('{day} is not a day in the calendar. Check the month and the day.'), field=field, day=value
            ) from None
        raise InvalidInput(N_('Enter a date as YYYY-MM-DD, for example 2026-11-30.'), field=field) from None


def parse_moment(text: str | None, tz: ZoneInfo, *, field: str) -> datetime:
    """Read a typed local 'YYYY-MM-DD HH:MM' and return it as a UTC instant; refuse times that do not exist."""
    value = ' '.join((text or '').replace('T', ' ').split())
    try:
        naive = datetime.strptime(value, MOMENT_FORMAT)
    except ValueError:
        raise InvalidInput(
            N_('Enter a date and time as YYYY-MM-DD HH:MM, for example 2026-11-30 09:00.'), field=field
        ) from None
    local = naive.replace(tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise InvalidInput(
            N_('{time} does not exist on {day}: the clocks jump forward then.'),
            field=field,
            time=f'{naive:%H:%M}',
            day=naive.date(),
        )
    return instant


def format_moment(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime(MOMENT_FORMAT)
