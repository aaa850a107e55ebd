"""Recurring tasks: schedule math in the owner's time zone (DST included), pure functions."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.core.errors import InvalidInput
from apps.tasks import schedule

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def _local(zone, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


def _series(frequency, anchor, zone, n, cron=None) -> list[datetime]:
    """The first n occurrences after the anchor, as local wall-clock times."""
    out, after = [], anchor
    for _ in range(n):
        after = schedule.occurrence_after(frequency=frequency, cron_expression=cron, anchor=anchor, after=after,
                                          zone=zone)
        out.append(after.astimezone(zone))
    return out


def test_daily_next_run_keeps_the_local_time_in_the_owner_zone():
    anchor = _local(BERLIN, 2025, 6, 10, 9, 0)
    runs = _series("daily", anchor, BERLIN, 3)
    assert [(r.day, r.hour, r.minute) for r in runs] == [(11, 9, 0), (12, 9, 0), (13, 9, 0)]
    assert runs[0].utcoffset() == timedelta(hours=2)


def test_weekly_next_run_is_the_same_weekday_and_time_across_the_eu_dst_change():
    anchor = _local(BERLIN, 2025, 3, 24, 8, 30)  # a Monday, CET (+01:00); clocks go forward on 30 March
    runs = _series("weekly", anchor, BERLIN, 2)
    assert [(r.date().isoformat(), r.weekday(), r.hour, r.minute) for r in runs] == [
        ("2025-03-31", 0, 8, 30), ("2025-04-07", 0, 8, 30)]
    assert runs[0].astimezone(UTC).hour == 6  # 08:30 CEST, no longer 07:30 UTC


def test_monthly_next_run_clamps_to_short_months_without_drifting():
    anchor = _local(TOKYO, 2025, 1, 31, 18, 0)
    runs = _series("monthly", anchor, TOKYO, 4)
    assert [r.date().isoformat() for r in runs] == ["2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31"]
    assert {(r.hour, r.minute) for r in runs} == {(18, 0)}


def test_cron_next_run_is_evaluated_on_the_owner_wall_clock():
    friday_evening = _local(NEW_YORK, 2025, 3, 7, 18, 0)
    runs = _series("custom", friday_evening, NEW_YORK, 3, cron="0 9 * * 1-5")
    assert [(r.date().isoformat(), r.hour) for r in runs] == [("2025-03-10", 9), ("2025-03-11", 9), ("2025-03-12", 9)]
    assert runs[0].astimezone(UTC).hour == 13  # Monday after the US change: EDT


def test_daily_0900_task_stays_at_0900_new_york_across_both_dst_changes():
    spring = _series("daily", _local(NEW_YORK, 2025, 3, 8, 9, 0), NEW_YORK, 2)
    assert [r.hour for r in spring] == [9, 9]
    assert [r.astimezone(UTC).hour for r in spring] == [13, 13]  # from 14:00 UTC (EST) to 13:00 UTC (EDT)
    fall = _series("daily", _local(NEW_YORK, 2025, 11, 1, 9, 0), NEW_YORK, 2)
    assert [r.hour for r in fall] == [9, 9]
    assert [r.astimezone(UTC).hour for r in fall] == [14, 14]  # from 13:00 UTC (EDT) to 14:00 UTC (EST)


def test_a_time_the_spring_change_skips_moves_that_one_run_only():
    runs = _series("daily", _local(NEW_YORK, 2025, 3, 8, 2, 30), NEW_YORK, 3)
    assert [(r.day, r.hour, r.minute) for r in runs] == [(9, 3, 30), (10, 2, 30), (11, 2, 30)]


def test_a_time_the_fall_change_repeats_runs_once():
    runs = _series("daily", _local(NEW_YORK, 2025, 11, 1, 1, 30), NEW_YORK, 2)
    assert [(r.day, r.hour, r.minute) for r in runs] == [(2, 1, 30), (3, 1, 30)]
    assert runs[0].utcoffset() == timedelta(hours=-4)  # the first 01:30 (EDT), not the second as well


def test_cron_across_the_dst_change_keeps_the_wall_clock_time():
    runs = _series("custom", _local(NEW_YORK, 2025, 3, 8, 12, 0), NEW_YORK, 2, cron="0 9 * * *")
    assert [(r.day, r.hour) for r in runs] == [(9, 9), (10, 9)]
    assert [r.astimezone(UTC).hour for r in runs] == [13, 13]


def test_next_run_after_a_long_outage_is_the_first_occurrence_after_now():
    anchor = _local(NEW_YORK, 2020, 1, 1, 9, 0)
    after = _local(NEW_YORK, 2025, 7, 4, 10, 0)
    nxt = schedule.occurrence_after(frequency="daily", cron_expression=None, anchor=anchor, after=after, zone=NEW_YORK)
    assert nxt.astimezone(NEW_YORK) == _local(NEW_YORK, 2025, 7, 5, 9, 0)


@pytest.mark.parametrize(("expression", "problem"), [
    ("", "required"), ("bogus", "has 1 fields"), ("0 9 * * * *", "has 6 fields"), ("61 * * * *", "not a valid"),
    ("0 0 30 2 *", "never fires"), ("@reboot", "not a schedule"),
])
def test_invalid_cron_expressions_are_refused_naming_the_field(expression, problem):
    with pytest.raises(InvalidInput) as refused:
        schedule.cron_validate(expression)
    assert refused.value.message.startswith("cron_expression:") and problem in refused.value.message
    assert "cron_expression" in refused.value.details


def test_valid_cron_expressions_are_normalized():
    assert schedule.cron_validate("  0  9 * *   mon-fri ") == "0 9 * * mon-fri"
    assert schedule.cron_validate("@daily") == "@daily"
