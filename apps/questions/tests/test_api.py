"""Questions API: asking with tasks, the unanswered order, answering and dismissing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.questions.models import Question
from apps.tasks.models import Task


def test_post_question_with_task_ids_blocks_them(tenant_a):
    first, second = tenant_a.make("tasks.task", title="Proposal"), tenant_a.make("tasks.task", title="Invites")
    response = tenant_a.api().post("/api/questions", {
        "text": "Which calendar?", "why_asking": "Two calendars", "what_claude_will_do": "Use it",
        "priority": 2, "task_ids": [str(first.pk), str(second.pk)],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(body["task_ids"]) == sorted([str(first.pk), str(second.pk)])
    assert body["blocking_count"] == 2 and body["priority_reason"] == "blocking_multiple"
    with tenant_a.schema():
        assert set(Task.objects.values_list("status", flat=True)) == {"blocked"}


def test_post_question_refuses_unknown_task_ids_and_writes_nothing(tenant_a, tenant_b):
    foreign = tenant_b.make("tasks.task", title="B's")
    response = tenant_a.api().post("/api/questions", {"text": "?", "task_ids": [str(foreign.pk)]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("task_ids: no such task")
    with tenant_a.schema():
        assert not Question.objects.exists()


def test_missing_text_is_a_400_naming_the_field(tenant_a):
    response = tenant_a.api().post("/api/questions", {"priority": 9}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("text:")
    assert set(error["details"]) == {"text", "priority"}


def test_unanswered_orders_by_priority_then_tasks_blocked_then_age(tenant_a):
    api = tenant_a.api()
    now = timezone.now()
    lonely = tenant_a.make("questions.question", text="p2 blocking none", priority=2)
    old = tenant_a.make("questions.question", text="p2 old, blocking one", priority=2)
    with tenant_a.schema():
        Question.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=2))
    tenant_a.make("questions.question", text="p3", priority=3)
    tenant_a.make("questions.answered", text="answered", priority=1, answer="x", answered_at=now)
    x, y = tenant_a.make("tasks.task", title="x"), tenant_a.make("tasks.task", title="y")
    api.post("/api/questions", {"text": "p2 new, blocking two", "priority": 2, "task_ids": [str(x.pk), str(y.pk)]},
             format="json")
    api.post("/api/questions", {"text": "p2 newer, blocking none", "priority": 2}, format="json")
    blocked = tenant_a.make("tasks.task", title="z", status="blocked", blocking_question=old)
    tenant_a.make("questions.unblock", question=old, task=blocked)
    texts = [q["text"] for q in api.get("/api/questions/unanswered").json()["results"]]
    # priority first; among p2: two tasks blocked, then one, then none (oldest first)
    assert texts == ["p2 new, blocking two", "p2 old, blocking one", "p2 blocking none", "p2 newer, blocking none", "p3"]
    assert lonely.status == "unanswered"


def test_answer_returns_question_and_unblocked_tasks_and_second_answer_is_409(tenant_a, owner_api):
    api = tenant_a.api()
    task = tenant_a.make("tasks.task", title="Proposal")
    api.post(f"/api/tasks/{task.pk}/start")
    question = api.post(f"/api/tasks/{task.pk}/block", {"question_text": "Discount?"}, format="json").json()["question"]
    response = owner_api.put(f"/api/questions/{question['id']}/answer", {"answer": "Yes, 10%"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["question"]["status"] == "answered" and body["question"]["answered_by"] == "user"
    assert [t["id"] for t in body["unblocked_tasks"]] == [str(task.pk)]
    assert body["unblocked_tasks"][0]["status"] == "queued"
    again = owner_api.put(f"/api/questions/{question['id']}/answer", {"answer": "No"}, format="json")
    assert again.status_code == 409 and "already answered" in again.json()["error"]["message"]


def test_dismiss_needs_a_reason_and_requeues(tenant_a, owner_api):
    api = tenant_a.api()
    task = tenant_a.make("tasks.task", title="Invites")
    question = api.post("/api/questions", {"text": "Calendar?", "task_ids": [str(task.pk)]}, format="json").json()
    missing = owner_api.put(f"/api/questions/{question['id']}/dismiss", {}, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["message"].startswith("reason:")
    done = owner_api.put(f"/api/questions/{question['id']}/dismiss", {"reason": "Already decided"}, format="json").json()
    assert done["question"]["status"] == "dismissed" and done["question"]["dismissed_reason"] == "Already decided"
    assert done["unblocked_tasks"][0]["context"]["answers"][0]["reason"] == "Already decided"


def test_list_filters_by_status(tenant_a):
    api = tenant_a.api()
    tenant_a.make("questions.question", text="open")
    tenant_a.make("questions.question", text="closed", status="dismissed")
    assert [q["text"] for q in api.get("/api/questions", {"status": "dismissed"}).json()["results"]] == ["closed"]
    bad = api.get("/api/questions", {"status": "open"})
    assert bad.status_code == 400 and bad.json()["error"]["message"].startswith("status:")


def test_list_filters_by_priority(tenant_a):
    api = tenant_a.api()
    tenant_a.make("questions.question", text="urgent", priority=1)
    tenant_a.make("questions.question", text="later", priority=4)
    assert [q["text"] for q in api.get("/api/questions", {"priority": "1"}).json()["results"]] == ["urgent"]


@pytest.mark.parametrize(("query", "field"), [
    ({"priority": "abc"}, "priority"),
    ({"priority": "1.5"}, "priority"),
    ({"priority": "9"}, "priority"),
    ({"status": "bogus"}, "status"),
])
def test_bad_filter_values_are_a_400_naming_the_field(tenant_a, query, field):
    response = tenant_a.api().get("/api/questions", query)
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{field}:")
    assert field in error["details"]
    if field == "status":
        assert "unanswered, answered, dismissed" in error["message"]


def test_questions_without_tasks_list_no_task_ids(tenant_a):
    api = tenant_a.api()
    created = api.post("/api/questions", {"text": "Which font?"}, format="json")
    assert created.status_code == 201 and created.json()["task_ids"] == []
    proposal = tenant_a.make("tasks.task", title="Proposal")
    linked = api.post("/api/questions", {"text": "Discount?", "task_ids": [str(proposal.pk)]}, format="json").json()
    by_text = {q["text"]: q["task_ids"] for q in api.get("/api/questions").json()["results"]}
    assert by_text == {"Which font?": [], "Discount?": linked["task_ids"]} and len(linked["task_ids"]) == 1
    assert {q["text"]: q["task_ids"] for q in api.get("/api/questions/unanswered").json()["results"]} == by_text
    assert api.get(f"/api/questions/{created.json()['id']}").json()["task_ids"] == []
    dashboard = api.get("/api/dashboard").json()["questions_for_you"]
    assert {q["text"]: q["task_ids"] for q in dashboard} == by_text
