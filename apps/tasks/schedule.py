"""The schedule arithmetic of recurring tasks (DESIGN "Recurring work"): pure functions, no writes.

Schedules are evaluated on wall-clock time in the owner's time zone (User.timezone, zoneinfo): a daily
09:00 task runs at 09:00 local on both sides of a daylight-saving change. Daily, weekly and monthly
series count from their anchor (the first run the owner gave), so a time the clocks skip or a 31st in
February moves that one run and not every later one. Custom schedules are 5-field cron expressions.
"""

import calendar
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, CroniterError, croniter

from apps.core.errors import InvalidInput

from .models import Frequency, RecurringTask

STEPS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(weeks=1)}
CRON_ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
CRON_HINT = "use five fields, minute hour day-of-month month day-of-week (e.g. '0 9 * * 1-5'), or " + \
    ", ".join(CRON_ALIASES)


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock reading of an instant in `zone`."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as an instant (UTC). fold=0: a time the spring-forward change skips
    (02:30) runs as far after the change as it was meant to be after 02:00 (03:30); a time the fall-back
    change repeats runs once, at its first occurrence."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _add_months(wall: datetime, months: int) -> datetime:
    """Same day `months` later, clamped to the month's last day (Jan 31 + 1 → Feb 28, + 2 → Mar 31)."""
    year, month0 = divmod(wall.month - 1 + months, 12)
    year += wall.year
    day = min(wall.day, calendar.monthrange(year, month0 + 1)[1])
    return wall.replace(year=year, month=month0 + 1, day=day)


def cron_validate(expression: str | None) -> str:
    """The expression, whitespace-normalized, if it is a cron schedule that fires; else 400 naming
    cron_expression."""
    expression = " ".join((expression or "").split())
    if not expression:
        problem = f"required when frequency is custom: {CRON_HINT}"
    elif expression.startswith("@") and expression not in CRON_ALIASES:
        problem = f"'{expression}' is not a schedule: {CRON_HINT}"
    elif not expression.startswith("@") and len(expression.split()) != 5:
        problem = f"'{expression}' has {len(expression.split())} fields: {CRON_HINT}"
    elif not croniter.is_valid(expression):
        problem = f"'{expression}' is not a valid cron expression: {CRON_HINT}"
    else:
        try:
            croniter(expression, datetime(2000, 1, 1)).get_next(datetime)
            return expression
        except (CroniterBadDateError, CroniterError):
            problem = f"'{expression}' never fires (e.g. February 30th)"
    raise InvalidInput.field("cron_expression", problem)


def cron_for_frequency(*, frequency: str, cron_expression: str | None) -> str | None:
    """The cron expression a schedule of `frequency` keeps: a valid one for custom, none otherwise
    (an expression with another frequency is a 400 naming cron_expression)."""
    if frequency == Frequency.CUSTOM:
        return cron_validate(cron_expression)
    if cron_expression:
        raise InvalidInput.field("cron_expression", f"only used with frequency custom (this one is {frequency}); "
                                                    "leave it out or set frequency custom")
    return None


def _cron_after(expression: str, after: datetime, zone: ZoneInfo) -> datetime:
    iterator = croniter(expression, _wall(after, zone))
    while True:  # more than one turn only around a DST change (a wall time that maps before `after`)
        candidate = _instant(iterator.get_next(datetime), zone)
        if candidate > after:
            return candidate


def occurrence_after(*, frequency: str, cron_expression: str | None, anchor: datetime, after: datetime,
                     zone: ZoneInfo) -> datetime:
    """The first occurrence of a schedule strictly after `after` (an aware instant; returned in UTC).

    Daily, weekly and monthly occurrences are anchor + k days / weeks / months on the wall clock of
    `zone`; custom ones are the cron expression's times on that wall clock.
    """
    if frequency == Frequency.CUSTOM:
        return _cron_after(cron_expression, after, zone)
    start, wall_after = _wall(anchor, zone), _wall(after, zone)
    if frequency == Frequency.MONTHLY:
        k = max(0, (wall_after.year - start.year) * 12 + wall_after.month - start.month - 1)
        while (candidate := _instant(_add_months(start, k), zone)) <= after:
            k += 1
        return candidate
    step = STEPS[frequency]
    k = max(0, (wall_after - start) // step - 1)  # one step early: a DST hour never makes us skip one
    while (candidate := _instant(start + k * step, zone)) <= after:
        k += 1
    return candidate


def series_anchor(recurring: RecurringTask, zone: ZoneInfo) -> datetime:
    """What the series counts from: its stored anchor while next_run is one of that series' occurrences
    (it is, whenever next_run was advanced here); next_run itself once someone moved it off the series
    (the admin, a time-zone change), so that edit starts a new series."""
    anchor = recurring.schedule_anchor
    if recurring.frequency == Frequency.CUSTOM or anchor is None or anchor > recurring.next_run:
        return recurring.next_run
    on_series = occurrence_after(frequency=recurring.frequency, cron_expression=None, anchor=anchor,
                                 after=recurring.next_run - timedelta(microseconds=1), zone=zone)
    return anchor if on_series == recurring.next_run else recurring.next_run
