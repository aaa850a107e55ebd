"""The work loop's endpoints: next and claim answer the work payload, start's seed keys, complete's
field names and atomicity, the block response, and constant query counts on the hot path."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from apps.activity.models import Log, LogAction
from apps.activity.services import log_record
from apps.playbooks.models import Playbook
from apps.tasks.models import Task
from tests.fixtures.tasks import completion_undone


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator(urlconf="expertly.urls").get_schema(request=None, public=True)


def _response_schema(schema: dict, path: str, method: str = "post") -> dict:
    ref = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


# --- next and claim -----------------------------------------------------------------------------

def test_next_is_null_when_nothing_is_queued(tenant_a):
    body = tenant_a.api().get("/api/tasks/next").json()
    assert body == {"task": None, "context": None, "matched_playbooks": [], "must_consult_warnings": [],
                    "reason": None}


def test_claim_returns_the_work_payload_and_starts_the_task(tenant_a):
    task = tenant_a.make("tasks.task", title="Draft email to Maria", priority=1)
    body = tenant_a.api().post("/api/tasks/claim").json()
    assert body["task"]["id"] == str(task.pk) and body["task"]["status"] == "working"
    assert set(body) == {"task", "context", "matched_playbooks", "must_consult_warnings", "reason"}
    assert tenant_a.api().post("/api/tasks/claim").json()["task"] is None


# --- start --------------------------------------------------------------------------------------

def test_start_answers_the_seed_keys_task_context_playbooks(tenant_a):
    tenant_a.make("playbooks.email_guide")
    task = tenant_a.make("tasks.task", title="Draft email to Maria")
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
    task = tenant_a.make("tasks.task", status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/block", {"question_text": "Which Maria?"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["task"]["status"] == "blocked" and body["task"]["blocking_question_id"] == body["question"]["id"]
    assert body["question"]["task_ids"] == [str(task.pk)] and body["question"]["blocking_count"] == 1


# --- complete -----------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["learnings_captured", "knowledge_captured"])
@pytest.mark.parametrize("learned", [True, False])
def test_complete_takes_the_seed_name_knowledge_captured_as_well(tenant_a, field, learned):
    task = tenant_a.make("tasks.task", status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete", {"output": "Sent", field: learned},
                                   format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["task"]["status"] == "completed"
    with tenant_a.schema():
        assert Log.objects.get(action="task.completed").details["learnings_captured"] is learned


def test_complete_with_both_names_disagreeing_is_a_400(tenant_a):
    task = tenant_a.make("tasks.task", status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete",
                                   {"learnings_captured": True, "knowledge_captured": False}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("knowledge_captured:")
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).status == "working"


def test_complete_without_the_knowledge_step_is_still_a_400_for_a_working_task(tenant_a):
    task = tenant_a.make("tasks.task", status="working")
    response = tenant_a.api().post(f"/api/tasks/{task.pk}/complete", {"output": "Sent"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "knowledge_step_required"


@pytest.mark.parametrize("bad_follow_up", ["foreign project_id", "invalid priority", "missing title"])
def test_a_failed_completion_writes_nothing_over_http(tenant_a, tenant_b, bad_follow_up):
    foreign = tenant_b.make("tasks.project", name="B's project")
    task = tenant_a.make("tasks.task", status="working")
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
    completion_undone(tenant_a, task, logs_before)


# --- the hot path -------------------------------------------------------------------------------

def _related_rows(world, n: int) -> Task:
    """A queued task with n people, a project of n other tasks, n log entries and n active
    playbooks, a fifth of them matching it (half of those must-consult)."""
    project = world.make("tasks.project", name=f"Project {n}")
    task = world.make("tasks.task", title="Draft email to the team", priority=1, project=project)
    many = {"_quantity": n, "_bulk_create": True}  # one INSERT per kind of row; values varying by row are iterators
    people = world.make("people.person", **many, name=(f"Person {i}" for i in range(n)))
    world.make("tasks.task_person", **many, task=task, person=iter(people), role="recipient")
    world.make("tasks.task", **many, title=(f"other {i}" for i in range(n)), project=project, priority=5)
    for i in range(n):
        log_record(action=LogAction.TASK_UPDATED, by=world.by_claude, entity=task, details={"i": i}, publish=False)
    guides, runbooks = range(0, n, 5), [i for i in range(n) if i % 5]
    world.make("playbooks.playbook", _quantity=len(guides), _bulk_create=True, name=(f"email guide {i}" for i in guides),
               description="How we write emails to the team.", triggers=["draft email"], category="communication",
               must_consult=(i % 10 == 0 for i in guides), content="Be brief.")
    world.make("playbooks.playbook", _quantity=len(runbooks), _bulk_create=True,
               name=(f"invoice runbook {i}" for i in runbooks), description="Month-end invoicing.",
               triggers=([f"invoice run {i}"] for i in runbooks), category="finance", content="Steps.")
    return task


# Measured, per endpoint, with the API key's auth and the transaction included; the same bound
# holds at 5 and at 200 related rows. Raise one only with a reason.
HOT_PATH_MAX_QUERIES = {"next": 13, "claim": 17, "start": 19}


@pytest.mark.parametrize("endpoint", ["next", "claim", "start"])
def test_hot_path_query_count_is_constant(tenant_a, endpoint, django_assert_max_num_queries):
    """The same bound at 5 and at 200 related rows of each kind (people, project tasks, log rows,
    active playbooks): the payload is built in a fixed number of queries."""
    counts = {}
    for n in (5, 200):
        with tenant_a.schema():
            Task.objects.all().delete()
            Playbook.objects.all().delete()
            task = _related_rows(tenant_a, n)
        api = tenant_a.api()
        api.get("/api/health")  # the key's last-use note is written at most once a minute: get it out of the way
        with django_assert_max_num_queries(HOT_PATH_MAX_QUERIES[endpoint]) as queries:
            if endpoint == "next":
                response = api.get("/api/tasks/next")
            elif endpoint == "claim":
                response = api.post("/api/tasks/claim")
            else:
                response = api.post(f"/api/tasks/{task.pk}/start")
        body = response.json()
        assert body["task"]["id"] == str(task.pk)
        assert len(body["context"]["people"]) == n
        assert len(body["matched_playbooks"]) == n // 5
        assert len(body["must_consult_warnings"]) == len(range(0, n, 10))
        counts[n] = len(queries)
    assert counts[5] == counts[200], counts
