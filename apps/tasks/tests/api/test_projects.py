"""Projects API: CRUD, references checked within the workspace (400 naming the field), the
hierarchy kept acyclic, filters, the audit Log, and the delete rule (409 while tasks or child
projects hang off it)."""

import uuid

import pytest

from apps.activity.models import Log
from apps.tasks.models import Project, Task


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_create_an_initiative_and_a_project_under_it_for_a_client(tenant_a):
    liberty = tenant_a.make("people.liberty")
    api = tenant_a.api()
    response = api.post(
        "/api/projects",
        {
            "name": "10x dev velocity",
            "project_type": "initiative",
            "success_criteria": "Ship twice as often",
            "target_date": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    initiative = response.json()
    assert (initiative["project_type"], initiative["status"], initiative["parent"]) == ("initiative", "active", None)
    response = api.post(
        "/api/projects", {"name": "Liberty pilot", "parent_id": initiative["id"], "client_id": str(liberty.pk)}, format="json"
    )
    assert response.status_code == 201, response.json()
    pilot = response.json()
    assert pilot["parent"] == {"id": initiative["id"], "name": "10x dev velocity"}
    assert pilot["client"]["name"] == "Liberty Hotel"
    with tenant_a.schema():
        log = Log.objects.get(action="project.created", entity_id=pilot["id"])
    assert log.entity_type == "project" and log.details["parent_id"] == initiative["id"]


@pytest.mark.parametrize("field", ["parent_id", "client_id"])
def test_references_of_another_workspace_are_a_400_naming_the_field(tenant_a, tenant_b, field):
    foreign = tenant_b.make("tasks.project" if field == "parent_id" else "people.client")
    for ref in (foreign.pk, uuid.uuid4()):
        body = error(tenant_a.api().post("/api/projects", {"name": "X", field: str(ref)}, format="json"), 400)
        assert body["code"] == "validation_error" and body["message"].startswith(f"{field}: no such")
        assert list(body["details"]) == [field]
    with tenant_a.schema():
        assert not Project.objects.exists() and not Log.objects.filter(action="project.created").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": "X", "project_type": "epic"}, "project_type"),
        ({"name": "X", "status": "done"}, "status"),
        ({"name": "X", "target_date": "soon"}, "target_date"),
        ({"name": "X", "parent_id": "7"}, "parent_id"),
    ],
)
def test_invalid_project_input_is_a_400_naming_the_field(tenant_a, payload, field):
    body = error(tenant_a.api().post("/api/projects", payload, format="json"), 400)
    assert body["message"].startswith(f"{field}:")


def test_the_hierarchy_cannot_become_a_cycle(tenant_a):
    top = tenant_a.make("tasks.initiative")
    middle = tenant_a.make("tasks.project", parent=top)
    leaf = tenant_a.make("tasks.project", parent=middle)
    api = tenant_a.api()
    body = error(api.patch(f"/api/projects/{top.pk}", {"parent_id": str(leaf.pk)}, format="json"), 400)
    assert body["message"] == f"parent_id: '{leaf.name}' is inside '{top.name}'; moving '{top.name}' under it would make a cycle"
    body = error(api.patch(f"/api/projects/{top.pk}", {"parent_id": str(top.pk)}, format="json"), 400)
    assert body["message"] == "parent_id: a project cannot be its own parent"
    # moving a leaf up, and detaching, are fine
    assert api.patch(f"/api/projects/{leaf.pk}", {"parent_id": str(top.pk)}, format="json").json()["parent"]["id"] == str(top.pk)
    assert api.patch(f"/api/projects/{leaf.pk}", {"parent_id": None}, format="json").json()["parent"] is None
    with tenant_a.schema():
        assert Project.objects.get(pk=top.pk).parent_id is None


def test_update_and_archive_log_the_fields_that_changed(tenant_a):
    project = tenant_a.make("tasks.project", name="Pilot")
    api = tenant_a.api()
    response = api.put(f"/api/projects/{project.pk}", {"status": "archived", "name": "Pilot"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "archived"
    api.patch(f"/api/projects/{project.pk}", {"status": "archived"}, format="json")  # no change, no log
    with tenant_a.schema():
        updates = list(Log.objects.filter(action="project.updated").values_list("details", flat=True))
    assert updates == [{"name": "Pilot", "fields": ["status"]}]


def test_list_filters_status_type_parent_top_level_client_and_search(tenant_a):
    liberty = tenant_a.make("people.liberty")
    goal = tenant_a.make("tasks.project", name="Revenue +20%", project_type="goal", priority_order=1)
    tenant_a.make("tasks.project", name="Liberty pilot", parent=goal, client=liberty, description="Hotel AI rollout")
    tenant_a.make("tasks.project", name="Old website", status="archived", description="The hotel site")
    tenant_a.make("tasks.initiative", name="Dev velocity", status="on_hold")
    api = tenant_a.api()

    def names(**query):
        response = api.get("/api/projects", query)
        assert response.status_code == 200, response.json()
        return [p["name"] for p in response.json()["results"]]

    assert names() == ["Dev velocity", "Liberty pilot", "Old website", "Revenue +20%"]  # priority_order, then name
    assert names(status="active,on_hold") == ["Dev velocity", "Liberty pilot", "Revenue +20%"]
    assert names(type="goal,initiative") == ["Dev velocity", "Revenue +20%"]
    assert names(parent_id=goal.pk) == ["Liberty pilot"]
    assert names(top_level="true", status="active") == ["Revenue +20%"]
    assert names(client_id=liberty.pk) == ["Liberty pilot"]
    assert names(search="hotel -website") == ["Liberty pilot"]
    assert names(ordering="-name")[0] == "Revenue +20%"
    assert error(api.get("/api/projects", {"type": "epic"}), 400)["message"].startswith("type:")


def test_delete_an_empty_project(tenant_a):
    project = tenant_a.make("tasks.project", name="Scratch")
    assert tenant_a.api().delete(f"/api/projects/{project.pk}").status_code == 204
    with tenant_a.schema():
        assert not Project.objects.filter(pk=project.pk).exists()
        assert Log.objects.get(action="project.deleted").details == {"name": "Scratch", "project_type": "project"}


def test_delete_a_project_with_tasks_or_children_is_409_saying_archive(tenant_a):
    project = tenant_a.make("tasks.project", name="Pilot")
    tenant_a.make("tasks.project", parent=project)
    tenant_a.make("tasks.task", title="Done long ago", project=project, status="cancelled")
    body = error(tenant_a.api().delete(f"/api/projects/{project.pk}"), 409)
    assert body["code"] == "project_in_use"
    assert body["message"].startswith("Project 'Pilot' still has 1 task and 1 child project. Archive it instead")
    assert body["details"] == {"project_id": str(project.pk), "tasks": 1, "child_projects": 1}
    with tenant_a.schema():
        assert Project.objects.filter(pk=project.pk).exists() and Task.objects.get().project_id == project.pk
        assert not Log.objects.filter(action="project.deleted").exists()

