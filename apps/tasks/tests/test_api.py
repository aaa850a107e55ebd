"""The task endpoints' contract: start's seed keys, complete's field names and atomicity, the block
response, and strict filters and pagination on GET /api/tasks."""

import pytest
from django.db import IntegrityError
from drf_spectacular.generators import SchemaGenerator

from apps.activity.models import Log
from apps.knowledge.models import Knowledge
from apps.playbooks.models import Playbook
from apps.tasks.models import Project, Task
from apps.tasks.services import tasks as services

EMAIL_GUIDE = dict(name="email-drafting-guide", description="Guide for drafting external emails.",
                   category="communication", must_consult=True, content="# Email\n\nBe brief.",
                   triggers=["draft email", "email to"])


def _task(world, title="Draft email to Maria", status="queued", **fields):
    with world.schema():
        return Task.objects.create(user=world.owner, title=title, status=status, **fields)


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator(urlconf="expertly.urls").get_schema(request=None, public=True)


def _response_schema(schema: dict, path: str, method: str = "post") -> dict:
    ref = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


# --- start --------------------------------------------------------------------------------------

def test_start_answers_the_seed_keys_task_context_playbooks(tenant_a):
    with tenant_a.schema():
        Playbook.objects.create(user=tenant_a.owner, **EMAIL_GUIDE)
    task = _task(tenant_a)
    api = tenant_a.api()
    matched_by_next = api.get("/api/tasks/next").json()["matched_playbooks"]
    response = api.post(f"/api/tasks/{task.pk}/start")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"task", "context", "playbooks", "matched_playbooks", "must_consult_warnings"}
    assert body["task"]["status"] == "working"
    assert [p["name"] for p in body["playbooks"]] == ["email-drafting-guide"]
    assert body["playbooks"] == body["matched_playbooks"] == matched_by_next  # the same shape as next's
    assert body["must_consult_warnings"][0]["playbook_name"] == "email-drafting-guide"


def test_start_and_block_responses_are_documented_with_their_real_shape(schema):
    start = _response_schema(schema, "/api/tasks/{task_id}/start")
    assert {"task", "context", "playbooks", "matched_playbooks", "must_consult_warnings"} <= set(start["properties"])
    assert start["properties"]["playbooks"]["items"]["$ref"].endswith("/MatchedPlaybook")
    block = _response_schema(schema, "/api/tasks/{task_id}/block")
    assert set(block["properties"]) == {"task", "question"}
    assert block["properties"]["task"]["$ref"].endswith("/Task")
    assert block["properties"]["question"]["$ref"].endswith("/Question")


def test_block_answers_the_task_and_its_question(tenant_a):
    task = _task(tenant_a, status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/block", {"question_text": "Which Maria?"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["task"]["status"] == "blocked" and body["task"]["blocking_question_id"] == body["question"]["id"]
    assert body["question"]["task_ids"] == [str(task.pk)] and body["question"]["blocking_count"] == 1


# --- complete -----------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["learnings_captured", "knowledge_captured"])
@pytest.mark.parametrize("learned", [True, False])
def test_complete_takes_the_seed_name_knowledge_captured_as_well(tenant_a, field, learned):
    task = _task(tenant_a, status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete", {"output": "Sent", field: learned},
                                   format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["task"]["status"] == "completed"
    with tenant_a.schema():
        assert Log.objects.get(action="task.completed").details["learnings_captured"] is learned


def test_complete_with_both_names_disagreeing_is_a_400(tenant_a):
    task = _task(tenant_a, status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete",
                                   {"learnings_captured": True, "knowledge_captured": False}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("knowledge_captured:")
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).status == "working"


def test_complete_without_the_knowledge_step_is_still_a_400_for_a_working_task(tenant_a):
    task = _task(tenant_a, status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete", {"output": "Sent"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "knowledge_step_required"


def _nothing_written(world, task, logs_before: int):
    with world.schema():
        assert Task.objects.get(pk=task.pk).status == "working"
        assert Task.objects.get(pk=task.pk).completed_at is None
        assert Task.objects.count() == 1  # no follow-up
        assert not Knowledge.objects.exists()
        assert Log.objects.count() == logs_before


@pytest.mark.parametrize("bad_follow_up", ["foreign project_id", "invalid priority", "missing title"])
def test_a_failed_completion_writes_nothing_over_http(tenant_a, tenant_b, bad_follow_up):
    with tenant_b.schema():
        foreign = Project.objects.create(user=tenant_b.owner, name="B's project")
    task = _task(tenant_a, status="working")
    with tenant_a.schema():
        logs_before = Log.objects.count()
    follow_up = {"foreign project_id": {"title": "Chase Maria", "project_id": str(foreign.pk)},
                 "invalid priority": {"title": "Chase Maria", "priority": 9},
                 "missing title": {"priority": 2}}[bad_follow_up]
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete", {
        "output": "Sent", "knowledge": [{"content": "Maria reads email on Mondays", "category": "person"}],
        "follow_up_tasks": [{"title": "A good one"}, follow_up],
    }, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "follow_up_tasks" in response.json()["error"]["message"] or "project_id" in response.json()["error"][
        "message"]
    _nothing_written(tenant_a, task, logs_before)


def test_a_completion_failing_in_the_database_after_the_transition_writes_nothing(tenant_a):
    """The service's own transaction: the task was already moved, a knowledge entry and one
    follow-up written, when the second follow-up breaks a CHECK constraint. All of it is undone."""
    task = _task(tenant_a, status="working")
    with tenant_a.schema():
        logs_before = Log.objects.count()
        with pytest.raises(IntegrityError, match="task_priority_range"):
            services.task_complete(task=task, user=tenant_a.owner, output="Sent", learnings_captured=None,
                                   knowledge=[{"content": "Maria reads email on Mondays", "category": "person"}],
                                   follow_up_tasks=[{"title": "A good one"}, {"title": "Bad", "priority": 9}])
    _nothing_written(tenant_a, task, logs_before)


# --- GET /api/tasks: strict filters and pagination ------------------------------------------------

def test_status_filter_takes_several_values(tenant_a):
    _task(tenant_a, "q"), _task(tenant_a, "w", status="working"), _task(tenant_a, "c", status="cancelled")
    body = tenant_a.api().get("/api/tasks", {"status": "queued,working"}).json()
    assert sorted(t["title"] for t in body["results"]) == ["q", "w"]


@pytest.mark.parametrize(("query", "field"), [
    ({"status": "bogus"}, "status"),
    ({"status": "queued,bogus"}, "status"),
    ({"assignee": "robot"}, "assignee"),
    ({"priority": "abc"}, "priority"),
    ({"priority_max": "1.5"}, "priority_max"),
    ({"limit": "abc"}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"limit": "-5"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": "x"}, "offset"),
])
def test_bad_list_parameters_are_a_400_naming_the_parameter(tenant_a, query, field):
    response = tenant_a.api().get("/api/tasks", query)
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{field}:"), error
    assert field in error["details"]
    if field == "status":
        assert "bogus" in error["message"]
        assert "queued, working, blocked, completed, cancelled" in error["message"]


def test_limit_and_offset_page_and_a_large_limit_is_capped(tenant_a):
    for i in range(3):
        _task(tenant_a, f"t{i}", priority=i + 1)
    api = tenant_a.api()
    page = api.get("/api/tasks", {"limit": "1", "offset": "1"}).json()
    assert page["count"] == 3 and [t["title"] for t in page["results"]] == ["t1"]
    assert len(api.get("/api/tasks", {"limit": "100000"}).json()["results"]) == 3
    assert api.get("/api/tasks", {"limit": "", "offset": ""}).status_code == 200
