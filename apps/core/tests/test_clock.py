"""Wall-clock arithmetic: pure functions, checked without a database."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from apps.core import clock

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_skipped_wall_time_runs_as_far_after_the_change_as_it_was_meant_to():
    # 2026-03-29 02:30 does not exist in Berlin (02:00 → 03:00): it is taken as 03:30 CEST = 01:30 UTC
    assert clock.instant(datetime(2026, 3, 29, 2, 30), BERLIN) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_repeated_wall_time_is_its_first_occurrence():
    # 2026-10-25 02:30 happens twice in Berlin; the first is CEST (00:30 UTC)
    assert clock.instant(datetime(2026, 10, 25, 2, 30), BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_local_midnight_is_that_day_in_the_zone():
    midnight = clock.local_midnight(date(2026, 1, 19), ZoneInfo("Pacific/Auckland"))
    assert midnight.date() == date(2026, 1, 19) and midnight.astimezone(UTC) == datetime(2026, 1, 18, 11, tzinfo=UTC)


def test_months_are_added_on_the_same_day_clamped_to_the_month():
    assert clock.add_months(datetime(2026, 1, 31, 9), 1) == datetime(2026, 2, 28, 9)
    assert clock.add_months(datetime(2026, 1, 31, 9), 2) == datetime(2026, 3, 31, 9)
    assert clock.add_months(datetime(2026, 11, 30, 9), 3) == datetime(2027, 2, 28, 9)


def test_cron_times_follow_the_wall_clock_across_a_dst_change():
    after = datetime(2026, 3, 27, 12, tzinfo=UTC)  # two days before Berlin moves to summer time (29th)
    first = clock.cron_after("0 9 * * *", after, BERLIN)
    second = clock.cron_after("0 9 * * *", first, BERLIN)
    assert [t.astimezone(BERLIN).hour for t in (first, second)] == [9, 9]
    assert (first.hour, second.hour) == (8, 7)  # 09:00 CET, then 09:00 CEST, in UTC


@pytest.mark.parametrize(("expression", "problem"), [
    ("0 9 * *", "has 4 fields"),
    ("@fortnightly", "is not a schedule"),
    ("61 9 * * *", "is not a valid cron expression"),
    ("0 0 30 2 *", "never fires"),
])
def test_cron_problem_names_what_is_wrong(expression, problem):
    assert problem in clock.cron_problem(expression)


def test_a_cron_expression_that_fires_has_no_problem():
    assert clock.cron_problem("0 9 * * 1-5") is None and clock.cron_problem("@daily") is None
