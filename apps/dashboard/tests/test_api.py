"""GET /api/dashboard and /api/dashboard/stats: every seed key, what each panel holds and in which
order, the owner's time zone for "today" and "this week", the stats on known data, and a constant
number of queries whatever the size of the workspace."""

import uuid
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.activity.models import Log
from apps.dashboard import selectors
from apps.drafts.models import Draft
from apps.people.models import Person
from apps.questions.models import Question, QuestionUnblock
from apps.tasks.models import Project, Task, WaitingItem

SEED_KEYS = {"today_priorities", "questions_for_you", "claude_working_on", "drafts_to_review", "waiting_on",
             "this_week", "overdue_items"}
STATS_KEYS = {"tasks_completed_today", "tasks_completed_this_week", "questions_answered_today",
              "drafts_reviewed_today", "average_question_response_time"}


def test_dashboard_has_every_seed_key_and_is_empty_on_an_empty_workspace(tenant_a):
    response = tenant_a.api().get("/api/dashboard")
    assert response.status_code == 200
    body = response.json()
    assert SEED_KEYS <= set(body)
    assert body["claude_working_on"] is None
    assert all(body[key] == [] for key in SEED_KEYS - {"claude_working_on"})
    assert body["counts"].pop("over_limit") == []
    assert set(body["counts"].values()) == {0}
    assert body["timezone"] == "UTC"


def test_dashboard_panels_hold_the_right_rows_in_order(tenant_a):
    now = timezone.now()
    with tenant_a.schema():
        project = tenant_a.make("tasks.project", name="Liberty")
        p3 = tenant_a.make("tasks.task", title="p3", priority=3)
        tenant_a.make("tasks.task", title="p1 due later", priority=1, due_date=now + timedelta(days=5), project=project)
        tenant_a.make("tasks.task", title="p1 due soon", priority=1, due_date=now + timedelta(days=1))
        working = tenant_a.make("tasks.task", title="Claude on it", priority=2, status="working",
                                started_at=now - timedelta(minutes=2))
        tenant_a.make("tasks.task", title="older work", priority=1, status="working",
                      started_at=now - timedelta(hours=2))
        tenant_a.make("tasks.task", title="owner's own", priority=2, assignee="user")
        tenant_a.make("tasks.task", title="done", priority=1, status="completed", completed_at=now)
        tenant_a.make("tasks.task", title="dropped", priority=1, status="cancelled")

        old_draft = tenant_a.make("drafts.draft", type="email", subject="Re: renewal", body="Hi " * 200, task=p3)
        Draft.objects.filter(pk=old_draft.pk).update(created_at=now - timedelta(days=1))
        new_draft = tenant_a.make("drafts.draft", type="slack", body="Shipped")
        tenant_a.make("drafts.draft", type="email", body="ok", status="approved", approved_at=now)

        patrick = tenant_a.make("people.person", name="Patrick")
        later = tenant_a.make("tasks.waiting", what="Contract from Legal", who="Legal",
                              since=now - timedelta(days=5), follow_up_date=now + timedelta(days=3))
        sooner = tenant_a.make("tasks.waiting", what="Response", person=patrick,
                               since=now - timedelta(days=2), follow_up_date=now - timedelta(hours=1))
        undated = tenant_a.make("tasks.waiting", what="Budget numbers")
        tenant_a.make("tasks.waiting", what="done", status="resolved", resolved_at=now)

    body = tenant_a.api().get("/api/dashboard").json()

    # the next-task order (priority, due date, age) over every open task, whoever it is assigned to
    titles = [t["title"] for t in body["today_priorities"]]
    assert titles == ["p1 due soon", "p1 due later", "older work", "Claude on it", "owner's own", "p3"]
    assert body["today_priorities"][1]["project"] == {"id": str(project.pk), "name": "Liberty"}
    assert body["claude_working_on"]["id"] == str(working.pk)
    assert body["claude_working_on"]["started_at"] is not None
    assert [d["id"] for d in body["drafts_to_review"]] == [str(old_draft.pk), str(new_draft.pk)]
    assert body["drafts_to_review"][0]["preview"].endswith(" …") and len(body["drafts_to_review"][0]["preview"]) < 210
    assert body["drafts_to_review"][0]["task_id"] == str(p3.pk)
    waiting = body["waiting_on"]
    assert [w["id"] for w in waiting] == [str(sooner.pk), str(later.pk), str(undated.pk)]
    assert waiting[0]["who"] == "Patrick" and waiting[0]["overdue"] is True and waiting[0]["days_waiting"] == 2
    assert waiting[1]["who"] == "Legal" and waiting[1]["overdue"] is False
    assert body["overdue_items"] == [{
        "kind": "waiting", "id": str(sooner.pk), "title": "Response", "date": waiting[0]["follow_up_date"],
        "day": sooner.follow_up_date.astimezone(UTC).date().isoformat(), "overdue": True, "priority": None,
        "status": "waiting", "who": "Patrick"}]
    # this week's count depends on today's weekday: the open dated rows that fall in the owner's (UTC) week
    cal = selectors.user_calendar(user=tenant_a.owner, now=now)
    dated = [now + timedelta(days=5), now + timedelta(days=1), later.follow_up_date, sooner.follow_up_date]
    this_week = sum(cal.week_start <= when < cal.week_end for when in dated)
    assert body["counts"] == {"open_tasks": 6, "blocked_tasks": 0, "questions_for_you": 0, "drafts_to_review": 2,
                              "waiting_on": 3, "this_week": this_week, "overdue_items": 1, "over_limit": []}
    assert len(body["this_week"]) == this_week


def test_counts_stop_at_the_limit_and_say_which_are_over_it(tenant_a, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    with tenant_a.schema():
        for n in range(3):
            tenant_a.make("tasks.task", title=f"open {n}", due_date=timezone.now() - timedelta(days=30))
    counts = tenant_a.api().get("/api/dashboard").json()["counts"]
    assert counts["open_tasks"] == 3 and counts["overdue_items"] == 3 and counts["over_limit"] == []
    with tenant_a.schema():
        tenant_a.make("tasks.task", title="one more", due_date=timezone.now() - timedelta(days=30))
    counts = tenant_a.api().get("/api/dashboard").json()["counts"]
    assert counts["open_tasks"] == 3 and counts["overdue_items"] == 3
    assert sorted(counts["over_limit"]) == ["open_tasks", "overdue_items"]


def test_questions_for_you_follow_the_unanswered_order(tenant_a):
    now = timezone.now()
    with tenant_a.schema():
        for i, priority in enumerate([3, 1, 2, 2, 5, 1]):
            q = tenant_a.make("questions.question", text=f"q{i}", priority=priority)
            Question.objects.filter(pk=q.pk).update(created_at=now - timedelta(hours=i))
        blocker = Question.objects.get(text="q3")
        for title in ("a", "b"):
            tenant_a.make("questions.unblock", question=blocker,
                          task=tenant_a.make("tasks.task", title=title, status="blocked", blocking_question=blocker))
        tenant_a.make("questions.question", text="answered", priority=1, status="answered", answer="x",
                      answered_at=now)
    api = tenant_a.api()
    dashboard = [q["text"] for q in api.get("/api/dashboard").json()["questions_for_you"]]
    unanswered = [q["text"] for q in api.get("/api/questions/unanswered").json()["results"]]
    assert dashboard == unanswered == ["q5", "q1", "q3", "q2", "q0", "q4"]


def test_dashboard_api_says_the_owners_day(tenant_a, set_timezone):
    set_timezone("Pacific/Kiritimati")
    body = tenant_a.api().get("/api/dashboard").json()
    assert body["timezone"] == "Pacific/Kiritimati"
    assert body["today"] == timezone.now().astimezone(ZoneInfo("Pacific/Kiritimati")).date().isoformat()


def test_stats_api_has_every_seed_key_and_null_average_without_answers(tenant_a):
    body = tenant_a.api().get("/api/dashboard/stats").json()
    assert STATS_KEYS <= set(body)
    assert body["average_question_response_time"] is None
    assert body["tasks_completed_today"] == 0


def test_stats_api_counts_work_done_just_now(tenant_a):
    now = timezone.now()
    with tenant_a.schema():
        tenant_a.make("tasks.task", title="just done", status="completed", completed_at=now - timedelta(seconds=1))
        tenant_a.make("tasks.task", title="long ago", status="completed", completed_at=now - timedelta(days=30))
        q = tenant_a.make("questions.question", text="q", status="answered", answer="a",
                          answered_at=now - timedelta(seconds=1))
        Question.objects.filter(pk=q.pk).update(created_at=now - timedelta(seconds=91))
    body = tenant_a.api().get("/api/dashboard/stats").json()
    assert body["tasks_completed_today"] == 1 and body["tasks_completed_this_week"] == 1
    assert body["questions_answered_today"] == 1
    assert body["average_question_response_time"] == pytest.approx(90.0, abs=0.2)


def _workspace(world, n: int):
    """n of everything the dashboard and the stats read."""
    now = timezone.now()
    many = {"_quantity": n, "_bulk_create": True}  # one INSERT per kind of row; values varying by row are iterators
    people = world.make("people.person", **many, name=(f"Person {i}" for i in range(n)))
    project = world.make("tasks.project", name="Big project")
    world.make("tasks.task", **many, title=(f"open {i}" for i in range(n)), priority=(1 + i % 5 for i in range(n)),
               project=project, due_date=(now + timedelta(hours=i - n // 2) for i in range(n)))
    world.make("tasks.task", **many, title=(f"done {i}" for i in range(n)), status="completed", completed_at=now)
    world.make("tasks.task", **many, title=(f"working {i}" for i in range(n)), status="working", started_at=now)
    questions = world.make("questions.question", **many, text=(f"q {i}" for i in range(n)),
                           priority=(1 + i % 5 for i in range(n)))
    world.make("questions.answered", **many, text=(f"a {i}" for i in range(n)), answer="a", answered_at=now)
    blocked = world.make("tasks.task", **many, title=(f"blocked {i}" for i in range(n)), status="blocked",
                         blocking_question=iter(questions))
    world.make("questions.unblock", **many, question=iter(questions), task=iter(blocked))
    world.make("drafts.draft", **many, type="email", body=(f"d {i}" for i in range(n)))
    world.make("activity.log", **many, action="draft.approved", entity_type="draft",
               entity_id=(uuid.uuid4() for _ in range(n)))
    world.make("tasks.waiting", **many, what=(f"w {i}" for i in range(n)), person=iter(people),
               follow_up_date=(now + timedelta(hours=i - n // 2) for i in range(n)))


@pytest.mark.parametrize("endpoint", ["/api/dashboard", "/api/dashboard/stats"])
def test_query_count_is_constant(tenant_a, endpoint, django_assert_max_num_queries):
    counts = {}
    for n in (5, 200):
        with tenant_a.schema():
            for model in (QuestionUnblock, WaitingItem, Draft, Task, Question, Person, Project, Log):
                model.objects.all().delete()
            _workspace(tenant_a, n)
        api = tenant_a.api()
        api.get(endpoint)  # warm-up: the key's last-use note is written at most once a minute
        with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as queries:
            body = api.get(endpoint).json()
        counts[n] = len(queries)
        if endpoint == "/api/dashboard":
            assert body["counts"]["open_tasks"] == 3 * n and len(body["today_priorities"]) == 10
            assert len(body["waiting_on"]) == min(n, 10) and body["waiting_on"][0]["who"] == "Person 0"
        else:
            assert body["tasks_completed_today"] == n and body["drafts_reviewed_today"] == n
    assert counts[5] == counts[200], counts
