"""Wall-clock arithmetic in a time zone: what the owner's "today", "this week" and "every day at
09:00" mean as instants. Pure functions, DST-safe (zoneinfo).

A wall-clock time that a spring-forward change skips (02:30) is taken as far after the change as it
was meant to be after 02:00 (03:30); one that a fall-back change repeats, at its first occurrence
(fold=0). Instants come back in UTC.
"""

import calendar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, CroniterError, croniter

CRON_ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
CRON_HINT = "use five fields, minute hour day-of-month month day-of-week (e.g. '0 9 * * 1-5'), or " + \
    ", ".join(CRON_ALIASES)


def wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock reading of an instant in `zone`."""
    return moment.astimezone(zone).replace(tzinfo=None)


def instant(wall_time: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time in `zone` as an instant (UTC)."""
    return wall_time.replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant `day` begins in `zone`, as a time of that zone (so its .date() is `day`)."""
    return datetime.combine(day, time.min, tzinfo=zone)


def add_months(wall_time: datetime, months: int) -> datetime:
    """Same day `months` later, clamped to the month's last day (Jan 31 + 1 → Feb 28, + 2 → Mar 31)."""
    year, month0 = divmod(wall_time.month - 1 + months, 12)
    year += wall_time.year
    day = min(wall_time.day, calendar.monthrange(year, month0 + 1)[1])
    return wall_time.replace(year=year, month=month0 + 1, day=day)


def cron_after(expression: str, after: datetime, zone: ZoneInfo) -> datetime:
    """The first time a cron expression fires on the wall clock of `zone`, strictly after the instant `after`."""
    iterator = croniter(expression, wall(after, zone))
    while True:  # more than one turn only around a DST change (a wall time that maps before `after`)
        candidate = instant(iterator.get_next(datetime), zone)
        if candidate > after:
            return candidate


def cron_problem(expression: str) -> str | None:
    """What is wrong with a (whitespace-normalized) cron expression, or None when it is a schedule that
    fires: five fields or one of CRON_ALIASES, valid, and at least one time (not "February 30th")."""
    if expression.startswith("@") and expression not in CRON_ALIASES:
        return f"'{expression}' is not a schedule: {CRON_HINT}"
    if not expression.startswith("@") and len(expression.split()) != 5:
        return f"'{expression}' has {len(expression.split())} fields: {CRON_HINT}"
    if not croniter.is_valid(expression):
        return f"'{expression}' is not a valid cron expression: {CRON_HINT}"
    try:
        croniter(expression, datetime(2000, 1, 1)).get_next(datetime)
    except (CroniterBadDateError, CroniterError):
        return f"'{expression}' never fires (e.g. February 30th)"
    return None
