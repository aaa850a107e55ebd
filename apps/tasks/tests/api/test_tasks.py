"""The task endpoints' contract: strict filters and pagination on GET /api/tasks, references within
the workspace on POST (the work loop's endpoints are apps.workloop's)."""

import uuid

import pytest

from apps.tasks.models import Task

# --- GET /api/tasks: strict filters and pagination ------------------------------------------------

def test_status_filter_takes_several_values(tenant_a):
    for title, status in (("q", "queued"), ("w", "working"), ("c", "cancelled")):
        tenant_a.make("tasks.task", title=title, status=status)
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
        tenant_a.make("tasks.task", title=f"t{i}", priority=i + 1)
    api = tenant_a.api()
    page = api.get("/api/tasks", {"limit": "1", "offset": "1"}).json()
    assert page["count"] == 3 and [t["title"] for t in page["results"]] == ["t1"]
    assert len(api.get("/api/tasks", {"limit": "100000"}).json()["results"]) == 3
    assert api.get("/api/tasks", {"limit": "", "offset": ""}).status_code == 200


# --- POST /api/tasks: references within the workspace ---------------------------------------

def test_a_task_naming_another_workspaces_project_is_refused_naming_the_field(tenant_a, tenant_b):
    foreign = tenant_b.make("tasks.project")
    for project_id in (foreign.pk, uuid.uuid4()):
        response = tenant_a.api().post("/api/tasks", {"title": "Budget", "project_id": str(project_id)}, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["error"]["message"].startswith("project_id: no such project")
    with tenant_a.schema():
        assert not Task.objects.filter(title="Budget").exists()
