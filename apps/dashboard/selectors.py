"""Reads for the owner's dashboard (seed: "Dashboard"): the panels and the stats, composed from the
other apps' selectors and models. Every list is bounded, so the dashboard runs a constant number of
queries whatever the size of the workspace. "Today" and "this week" are the owner's: midnight and
Monday 00:00 in User.timezone."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Avg, Count, DurationField, F, Q
from django.utils import timezone

from apps.activity.models import Log, LogAction
from apps.core.clock import local_midnight
from apps.drafts.models import Draft, DraftStatus
from apps.questions.models import Question, QuestionStatus
from apps.questions.selectors import question_unanswered
from apps.tasks.models import Assignee, Task, TaskStatus, WaitingItem, WaitingStatus
from apps.tasks.selectors.tasks import NEXT_ORDER, task_queryset

PANEL_LIMIT = 10  # rows per list panel; `counts` tells how many there are in all
CALENDAR_LIMIT = 50  # rows of this_week and overdue_items

# A review is an approval or a rejection, as the audit log records them (a rejection has no
# timestamp of its own on the draft, and a later revision moves its updated_at).
DRAFT_REVIEW_ACTIONS = (LogAction.DRAFT_APPROVED, LogAction.DRAFT_REJECTED)


@dataclass(frozen=True)
class UserCalendar:
    """The owner's day and week as instants (half-open ranges), computed once per request."""

    tz: ZoneInfo
    now: datetime
    today: date
    today_start: datetime
    tomorrow_start: datetime
    week_start: datetime  # Monday 00:00 local
    week_end: datetime  # the next Monday 00:00 local


def user_calendar(*, user, now: datetime | None = None) -> UserCalendar:
    tz = user.zone
    now = now or timezone.now()
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    return UserCalendar(
        tz=tz, now=now, today=today,
        today_start=local_midnight(today, tz),
        tomorrow_start=local_midnight(today + timedelta(days=1), tz),
        week_start=local_midnight(monday, tz),
        week_end=local_midnight(monday + timedelta(days=7), tz),
    )


@dataclass(frozen=True)
class CalendarItem:
    """One dated thing on the dashboard: a task's due date or a waiting item's follow-up date
    (there is no calendar integration; these are the dates the workspace knows)."""

    kind: str  # "task" or "waiting"
    id: object
    title: str
    date: datetime
    day: date  # the local day of `date`, for grouping by weekday
    overdue: bool
    priority: int | None = None  # tasks
    status: str | None = None
    who: str | None = None  # waiting items


def _task_item(task: Task, cal: UserCalendar) -> CalendarItem:
    return CalendarItem(kind="task", id=task.pk, title=task.title, date=task.due_date,
                        day=task.due_date.astimezone(cal.tz).date(), overdue=task.due_date < cal.now,
                        priority=task.priority, status=task.status)


def waiting_who(item: WaitingItem) -> str | None:
    """Whom we are waiting on: the free-text `who`, else the linked person's name."""
    return item.who or (item.person.name if item.person else None)


def _waiting_item(item: WaitingItem, cal: UserCalendar) -> CalendarItem:
    return CalendarItem(kind="waiting", id=item.pk, title=item.what, date=item.follow_up_date,
                        day=item.follow_up_date.astimezone(cal.tz).date(), overdue=item.is_overdue(cal.now),
                        status=item.status, who=waiting_who(item))


def _open_tasks(*, user):
    # the cards show neither the body nor the output: leave the big columns in the database
    return task_queryset(user=user).filter(status__in=Task.OPEN_STATUSES).defer("description", "context", "output")


def _open_waiting(*, user):
    return (WaitingItem.objects.filter(user=user, status=WaitingStatus.WAITING)
            .select_related("person").defer("person__search_vector"))


def _dated(*, user, cal: UserCalendar, start: datetime | None, end: datetime) -> list[CalendarItem]:
    """Open tasks due and open waiting items to follow up in [start, end), earliest first."""
    task_range = Q(due_date__lt=end) & (Q(due_date__gte=start) if start else Q())
    waiting_range = Q(follow_up_date__lt=end) & (Q(follow_up_date__gte=start) if start else Q())
    tasks = (Task.objects.filter(task_range, user=user, status__in=Task.OPEN_STATUSES)
             .only("id", "title", "due_date", "priority", "status").order_by("due_date", "priority")[:CALENDAR_LIMIT])
    waiting = (_open_waiting(user=user).filter(waiting_range)
               .only("id", "what", "who", "follow_up_date", "status", "person__name")
               .order_by("follow_up_date")[:CALENDAR_LIMIT])
    items = [_task_item(t, cal) for t in tasks] + [_waiting_item(w, cal) for w in waiting]
    items.sort(key=lambda item: (item.date, item.kind, item.title))
    return items[:CALENDAR_LIMIT]


def dashboard_this_week(*, user, cal: UserCalendar) -> list[CalendarItem]:
    """Everything dated this week (Monday to Sunday, local), past days included and flagged overdue."""
    return _dated(user=user, cal=cal, start=cal.week_start, end=cal.week_end)


def dashboard_overdue(*, user, cal: UserCalendar) -> list[CalendarItem]:
    """Open tasks past their due date and waiting items past their follow-up date, most overdue first
    (seed principle 5: surface problems)."""
    return _dated(user=user, cal=cal, start=None, end=cal.now)


COUNT_LIMIT = 1000  # counts are exact up to here; past it the dashboard says "1000+"

_OPEN = list(Task.OPEN_STATUSES)
_COUNTS_SQL = f"""
SELECT
  (SELECT count(*) FROM (SELECT 1 FROM {Task._meta.db_table}
     WHERE user_id = %(user)s AND status = ANY(%(open)s) LIMIT %(cap)s) t) AS open_tasks,
  (SELECT count(*) FROM (SELECT 1 FROM {Task._meta.db_table}
     WHERE user_id = %(user)s AND status = 'blocked' LIMIT %(cap)s) t) AS blocked_tasks,
  (SELECT count(*) FROM (SELECT 1 FROM {Question._meta.db_table}
     WHERE user_id = %(user)s AND status = 'unanswered' LIMIT %(cap)s) t) AS questions_for_you,
  (SELECT count(*) FROM (SELECT 1 FROM {Draft._meta.db_table}
     WHERE user_id = %(user)s AND status = 'pending' LIMIT %(cap)s) t) AS drafts_to_review,
  (SELECT count(*) FROM (SELECT 1 FROM {WaitingItem._meta.db_table}
     WHERE user_id = %(user)s AND status = 'waiting' LIMIT %(cap)s) t) AS waiting_on,
  (SELECT count(*) FROM (SELECT 1 FROM {Task._meta.db_table}
     WHERE user_id = %(user)s AND status = ANY(%(open)s) AND due_date >= %(week_start)s AND due_date < %(week_end)s
     LIMIT %(cap)s) t)
  + (SELECT count(*) FROM (SELECT 1 FROM {WaitingItem._meta.db_table}
     WHERE user_id = %(user)s AND status = 'waiting' AND follow_up_date >= %(week_start)s
       AND follow_up_date < %(week_end)s LIMIT %(cap)s) t) AS this_week,
  (SELECT count(*) FROM (SELECT 1 FROM {Task._meta.db_table}
     WHERE user_id = %(user)s AND status = ANY(%(open)s) AND due_date < %(now)s LIMIT %(cap)s) t)
  + (SELECT count(*) FROM (SELECT 1 FROM {WaitingItem._meta.db_table}
     WHERE user_id = %(user)s AND status = 'waiting' AND follow_up_date < %(now)s LIMIT %(cap)s) t) AS overdue_items
"""
COUNT_NAMES = ("open_tasks", "blocked_tasks", "questions_for_you", "drafts_to_review", "waiting_on", "this_week",
               "overdue_items")


def dashboard_counts(*, user, cal: UserCalendar) -> dict:
    """Totals behind the bounded panels, in one statement.

    Each count stops at COUNT_LIMIT + 1 rows (LIMIT inside the subquery), so the dashboard costs the
    same with 100 or 100,000 open tasks; a count past the limit is reported as COUNT_LIMIT and named
    in `over_limit` ("1000+"). Counting every row of a large workspace on each page load cost ~16 ms
    at 100k tasks (docs/PERFORMANCE.md).
    """
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, {"user": user.pk, "open": _OPEN, "cap": COUNT_LIMIT + 1, "now": cal.now,
                                     "week_start": cal.week_start, "week_end": cal.week_end})
        row = dict(zip(COUNT_NAMES, cursor.fetchone(), strict=True))
    over = [name for name, value in row.items() if value > COUNT_LIMIT]
    return {**{name: min(value, COUNT_LIMIT) for name, value in row.items()}, "over_limit": over}


def dashboard_get(*, user, now: datetime | None = None) -> dict:
    """The seed's dashboard, panel by panel:

    - today_priorities: open tasks (queued, working, blocked; either assignee), in next-task order:
      priority, then due date (undated last), then age.
    - questions_for_you: unanswered questions in the order of /api/questions/unanswered.
    - claude_working_on: the task Claude started most recently and is still working on, or None.
    - drafts_to_review: pending drafts, oldest first (the longest waiting).
    - waiting_on: open waiting items, the earliest follow-up first (undated last).
    - this_week / overdue_items: dated items (see dashboard_this_week and dashboard_overdue).
    """
    cal = user_calendar(user=user, now=now)
    return {
        "timezone": str(cal.tz),
        "today": cal.today,
        "week_start": cal.week_start.date(),
        "today_priorities": list(_open_tasks(user=user).order_by(*NEXT_ORDER)[:PANEL_LIMIT]),
        "questions_for_you": list(question_unanswered(user=user)[:PANEL_LIMIT]),
        "claude_working_on": _open_tasks(user=user)
        .filter(status=TaskStatus.WORKING, assignee=Assignee.CLAUDE)
        .order_by(F("started_at").desc(nulls_last=True), "-updated_at")
        .first(),
        "drafts_to_review": list(Draft.objects.filter(user=user, status=DraftStatus.PENDING)
                                 .order_by("created_at")[:PANEL_LIMIT]),
        "waiting_on": list(_open_waiting(user=user)
                           .order_by(F("follow_up_date").asc(nulls_last=True), "since")[:PANEL_LIMIT]),
        "this_week": dashboard_this_week(user=user, cal=cal),
        "overdue_items": dashboard_overdue(user=user, cal=cal),
        "counts": dashboard_counts(user=user, cal=cal),
        "as_of": cal.now,
    }


def dashboard_stats(*, user, now: datetime | None = None) -> dict:
    """The seed's dashboard metrics in three aggregate queries (tasks, questions, the audit log).

    - tasks_completed_today / _this_week: completed_at since local midnight / Monday 00:00.
    - questions_answered_today: answered_at since local midnight (answering is the owner's).
    - drafts_reviewed_today: drafts the user approved or rejected today (the audit log's
      draft.approved and draft.rejected entries).
    - average_question_response_time: mean seconds from asking to answering over every answered
      question; None when none was answered.
    """
    cal = user_calendar(user=user, now=now)
    tasks = Task.objects.filter(user=user, status=TaskStatus.COMPLETED, completed_at__gte=cal.week_start,
                                completed_at__lt=cal.week_end).aggregate(
        today=Count("pk", filter=Q(completed_at__gte=cal.today_start, completed_at__lt=cal.tomorrow_start)),
        week=Count("pk"),
    )
    answered = Q(status=QuestionStatus.ANSWERED)
    questions = Question.objects.filter(user=user).aggregate(
        today=Count("pk", filter=answered & Q(answered_at__gte=cal.today_start, answered_at__lt=cal.tomorrow_start)),
        response=Avg(F("answered_at") - F("created_at"), filter=answered, output_field=DurationField()),
    )
    drafts = Log.objects.filter(user=user, action__in=DRAFT_REVIEW_ACTIONS, timestamp__gte=cal.today_start,
                                timestamp__lt=cal.tomorrow_start).aggregate(today=Count("entity_id", distinct=True))
    response = questions["response"]
    return {
        "timezone": str(cal.tz),
        "today": cal.today,
        "week_start": cal.week_start.date(),
        "tasks_completed_today": tasks["today"],
        "tasks_completed_this_week": tasks["week"],
        "questions_answered_today": questions["today"],
        "drafts_reviewed_today": drafts["today"],
        "average_question_response_time": round(response.total_seconds(), 1) if response is not None else None,
    }
