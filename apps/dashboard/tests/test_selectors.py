"""The dashboard selectors on known data: the owner's calendar (today, this week) in his time zone, and
the stats."""

from datetime import UTC, datetime, timedelta

from apps.dashboard import selectors
from apps.dashboard.tests.test_api import STATS_KEYS
from apps.questions.models import Question


def test_this_week_and_overdue_are_in_the_owners_time_zone(tenant_a, set_timezone):
    """Sunday 20:00 UTC is already Monday 09:00 in Auckland: the owner's week has just begun."""
    now = datetime(2026, 1, 18, 20, 0, tzinfo=UTC)
    utc = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    with tenant_a.schema():
        monday_1am = tenant_a.make("tasks.task", title="local Monday 01:00", due_date=utc(2026, 1, 18, 12))
        thursday = tenant_a.make("tasks.task", title="local Thursday", due_date=utc(2026, 1, 22, 0), priority=2)
        tenant_a.make("tasks.task", title="next local Monday", due_date=utc(2026, 1, 25, 12))
        sunday_late = tenant_a.make("tasks.task", title="local Sunday 23:00", due_date=utc(2026, 1, 18, 10))
        tenant_a.make("tasks.task", title="done this week", due_date=utc(2026, 1, 21), status="completed",
                      completed_at=now)
        friday = tenant_a.make("tasks.waiting", what="Signed contract", who="Legal",
                               follow_up_date=utc(2026, 1, 23, 3))
        tenant_a.make("tasks.waiting", what="resolved", follow_up_date=utc(2026, 1, 23), status="resolved",
                      resolved_at=now)

        set_timezone("Pacific/Auckland")
        board = selectors.dashboard_get(user=tenant_a.owner, now=now)
        assert board["today"].isoformat() == "2026-01-19" and board["week_start"].isoformat() == "2026-01-19"
        week = [(item.kind, item.id, item.day.isoformat(), item.overdue) for item in board["this_week"]]
        assert week == [("task", monday_1am.pk, "2026-01-19", True), ("task", thursday.pk, "2026-01-22", False),
                        ("waiting", friday.pk, "2026-01-23", False)]
        assert [item.id for item in board["overdue_items"]] == [sunday_late.pk, monday_1am.pk]
        assert board["counts"]["this_week"] == 3 and board["counts"]["overdue_items"] == 2

        set_timezone("UTC")  # the same instant is still Sunday: last week's items are this week's
        board = selectors.dashboard_get(user=tenant_a.owner, now=now)
        assert [item.id for item in board["this_week"]] == [sunday_late.pk, monday_1am.pk]


def _stats_data(world, now: datetime):
    """Known data around `now` (a Wednesday noon UTC)."""
    today, yesterday, last_week = now - timedelta(hours=1), now - timedelta(days=1), now - timedelta(days=7)
    for when in (today, today, yesterday, last_week):
        world.make("tasks.task", title="done", status="completed", completed_at=when)
    world.make("tasks.task", title="open")
    for created, answered in ((now - timedelta(minutes=3), now - timedelta(minutes=2)),  # 60 s
                              (now - timedelta(hours=1), now - timedelta(minutes=57)),  # 180 s
                              (yesterday - timedelta(hours=1), yesterday)):  # 3600 s
        q = world.make("questions.question", text="q", status="answered", answer="a", answered_at=answered)
        Question.objects.filter(pk=q.pk).update(created_at=created)
    world.make("questions.question", text="still open")
    world.make("questions.question", text="dismissed", status="dismissed")
    approved, rejected, revised, old = (world.make("drafts.draft", type="email", body=b)
                                        for b in ("approved", "rejected", "rejected then revised", "old"))
    for action, draft, when in (("draft.created", approved, today), ("draft.approved", approved, today),
                                ("draft.rejected", rejected, today), ("draft.rejected", revised, today),
                                ("draft.revised", revised, today), ("draft.approved", old, yesterday)):
        world.make("activity.log", action=action, entity_type="draft", entity_id=draft.pk, timestamp=when)


def test_stats_on_known_data(tenant_a):
    now = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)  # a Wednesday
    with tenant_a.schema():
        _stats_data(tenant_a, now)
        stats = selectors.dashboard_stats(user=tenant_a.owner, now=now)
    assert {key: stats[key] for key in STATS_KEYS} == {
        "tasks_completed_today": 2,
        "tasks_completed_this_week": 3,  # Monday 00:00 onwards: today's two and yesterday's
        "questions_answered_today": 2,
        "drafts_reviewed_today": 3,  # one approved, two rejected (one of them since revised)
        "average_question_response_time": 1280.0,  # (60 + 180 + 3600) / 3
    }


def test_stats_today_is_the_owners_today(tenant_a, set_timezone):
    """11:00 UTC on Wednesday is 00:00 Thursday at UTC+13: work done at 10:00 UTC was yesterday there."""
    now = datetime(2026, 1, 14, 11, 30, tzinfo=UTC)
    with tenant_a.schema():
        tenant_a.make("tasks.task", title="at 10:00 UTC", status="completed",
                      completed_at=datetime(2026, 1, 14, 10, tzinfo=UTC))
        tenant_a.make("tasks.task", title="at 11:15 UTC", status="completed",
                      completed_at=datetime(2026, 1, 14, 11, 15, tzinfo=UTC))
        assert selectors.dashboard_stats(user=tenant_a.owner, now=now)["tasks_completed_today"] == 2
        set_timezone("Pacific/Auckland")
        assert selectors.dashboard_stats(user=tenant_a.owner, now=now)["tasks_completed_today"] == 1
        set_timezone("America/Los_Angeles")  # still Wednesday 03:30 there: both today
        assert selectors.dashboard_stats(user=tenant_a.owner, now=now)["tasks_completed_today"] == 2
