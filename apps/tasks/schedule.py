"""The schedule arithmetic of recurring tasks (DESIGN "Recurring work"): pure functions, no writes.

Schedules run on the owner's wall clock (apps.core.clock: a daily 09:00 task runs at 09:00 local on
both sides of a DST change). Daily, weekly and monthly series count from their anchor (the first run
the owner gave), so a skipped time or a 31st in February moves that one run, not every later one.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apps.core.clock import CRON_HINT, add_months, cron_after, cron_problem, instant, wall
from apps.core.errors import InvalidInput

from .models import Frequency, RecurringTask

STEPS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(weeks=1)}


def cron_validate(expression: str | None) -> str:
    """The expression, whitespace-normalized, if it is a cron schedule that fires; else 400 naming
    cron_expression."""
    expression = " ".join((expression or "").split())
    problem = cron_problem(expression) if expression else f"required when frequency is custom: {CRON_HINT}"
    if problem:
        raise InvalidInput.field("cron_expression", problem)
    return expression


def cron_for_frequency(*, frequency: str, cron_expression: str | None) -> str | None:
    """The cron expression a schedule of `frequency` keeps: a valid one for custom, none otherwise
    (an expression with another frequency is a 400 naming cron_expression)."""
    if frequency == Frequency.CUSTOM:
        return cron_validate(cron_expression)
    if cron_expression:
        raise InvalidInput.field("cron_expression", f"only used with frequency custom (this one is {frequency}); "
                                                    "leave it out or set frequency custom")
    return None


def occurrence_after(*, frequency: str, cron_expression: str | None, anchor: datetime, after: datetime,
                     zone: ZoneInfo) -> datetime:
    """The first occurrence of a schedule strictly after `after` (an aware instant; returned in UTC).

    Daily, weekly and monthly occurrences are anchor + k days / weeks / months on the wall clock of
    `zone`; custom ones are the cron expression's times on that wall clock.
    """
    if frequency == Frequency.CUSTOM:
        return cron_after(cron_expression, after, zone)
    start, wall_after = wall(anchor, zone), wall(after, zone)
    if frequency == Frequency.MONTHLY:
        k = max(0, (wall_after.year - start.year) * 12 + wall_after.month - start.month - 1)
        while (candidate := instant(add_months(start, k), zone)) <= after:
            k += 1
        return candidate
    step = STEPS[frequency]
    k = max(0, (wall_after - start) // step - 1)  # one step early: a DST hour never makes us skip one
    while (candidate := instant(start + k * step, zone)) <= after:
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
