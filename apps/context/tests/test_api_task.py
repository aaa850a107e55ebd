"""GET /api/context/task/{id} (the seed's shape) and /api/context/project/{id}: payload keys and
contents, and a constant number of queries whatever the number of related rows."""

import uuid

import pytest
from django.utils import timezone

from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.tasks.models import Project

SEED_TASK_CONTEXT_KEYS = {"task", "project", "related_people", "related_tasks", "history", "relevant_playbooks"}

# Queries per context request, whatever the data size: API-key authentication and the tenant, the
# entity, each list (capped lists carry their total in the same query), the history, and playbook
# matching. Both sizes must stay within it, and use exactly as many queries as each other.
CONTEXT_QUERY_BOUND = 16


def test_task_context_has_exactly_the_seed_keys_and_the_relationship_context(tenant_a):
    patrick = tenant_a.make("people.patrick", client=tenant_a.make("people.liberty"))
    gina = tenant_a.make("people.person", name="Gina", relationship="colleague", relationship_to_user="Reports to me")
    tenant_a.make("playbooks.email_guide")
    tenant_a.make("playbooks.playbook", name="meeting-rules", category="scheduling", must_consult=True)
    project = tenant_a.make("tasks.project", name="Liberty pilot", success_criteria="Signed rollout")
    api = tenant_a.api()
    task_id = api.post(
        "/api/tasks",
        {
            "title": "Draft email to Patrick about the pilot",
            "project_id": str(project.pk),
            "people": [{"person_id": str(patrick.pk), "role": "recipient"}, {"person_id": str(gina.pk), "role": "stakeholder"}],
        },
        format="json",
    ).json()["id"]
    with tenant_a.schema():
        earlier = tenant_a.make("tasks.task", title="Kickoff notes", project=project, status="completed",
                                completed_at=timezone.now())
        with_patrick = tenant_a.make("tasks.task", title="Book dinner with Patrick")
        tenant_a.make("tasks.task_person", task=with_patrick, person=patrick)
        tenant_a.make("tasks.task", title="Unrelated")

    response = api.get(f"/api/context/task/{task_id}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == SEED_TASK_CONTEXT_KEYS
    assert body["task"]["id"] == task_id and body["task"]["project"]["name"] == "Liberty pilot"
    assert body["project"]["success_criteria"] == "Signed rollout"
    assert [t["title"] for t in body["project"]["recent_tasks"]] == ["Kickoff notes"]

    people = {entry["person"]["name"]: entry for entry in body["related_people"]}
    assert list(people) == ["Gina", "Patrick Fields"]
    assert set(people["Patrick Fields"]) == {"person", "relationship_context"}
    assert people["Patrick Fields"]["person"]["client"]["name"] == "Liberty Hotel"
    context = people["Patrick Fields"]["relationship_context"]
    assert context["role"] == "recipient"
    assert context["relationship_to_user"] == "Main contact at Liberty Hotel"
    assert context["political_context"] == "Reports to GM. Close to decision-maker."
    assert context["communication_notes"] == "Prefers brief, direct emails. Responds quickly."
    assert people["Gina"]["relationship_context"]["role"] == "stakeholder"

    assert {t["title"] for t in body["related_tasks"]} == {"Book dinner with Patrick"}
    assert str(earlier.pk) not in {t["id"] for t in body["related_tasks"]}  # closed tasks of the project: not related
    assert [h["action"] for h in body["history"]] == ["task.created"]
    [playbook] = body["relevant_playbooks"]  # not the scheduling one
    assert (playbook["name"], playbook["match_reason"], playbook["must_consult"]) == (
        "email-drafting-guide",
        "trigger: 'draft email'",
        True,
    )
    assert playbook["warning"].startswith("MUST consult 'email-drafting-guide'")
    assert playbook["content_preview"].startswith("# Email Drafting Guide")


def test_task_context_without_project_or_people(tenant_a):
    with tenant_a.schema():
        task = tenant_a.make("tasks.task", title="Think")
    body = tenant_a.api().get(f"/api/context/task/{task.pk}").json()
    assert body["project"] is None and body["related_people"] == [] and body["related_tasks"] == []
    assert body["relevant_playbooks"] == [] and body["history"] == []


def test_project_context_has_parent_children_tasks_people_history_and_playbooks(tenant_a):
    tenant_a.make("playbooks.playbook", name="pilot-playbook", triggers=["pilot"])
    initiative = tenant_a.make("tasks.initiative", name="Grow hospitality")
    api = tenant_a.api()
    project_id = api.post("/api/projects", {"name": "Liberty pilot", "parent_id": str(initiative.pk)}, format="json").json()["id"]
    patrick, gina = tenant_a.make("people.patrick"), tenant_a.make("people.person", name="Gina")
    tenant_a.make("people.person", name="Not on it")
    with tenant_a.schema():
        for name in ("Phase 2", "Phase 1"):
            tenant_a.make("tasks.project", name=name, parent_id=project_id)
        tenant_a.make("tasks.project", name="Grandchild", parent=Project.objects.get(name="Phase 1"))
        queued = tenant_a.make("tasks.task", title="Email Patrick", project_id=project_id)
        blocked_free = tenant_a.make("tasks.task", title="Plan", project_id=project_id, status="working")
        tenant_a.make("tasks.task", title="Kickoff", project_id=project_id, status="completed", completed_at=timezone.now())
        for task, person in ((queued, patrick), (blocked_free, patrick), (blocked_free, gina)):
            tenant_a.make("tasks.task_person", task=task, person=person)
        log_record(action=LogAction.TASK_STARTED, by=tenant_a.by_claude, entity=blocked_free, publish=False)
        log_record(
            action=LogAction.TASK_CREATED, by=tenant_a.by_claude, entity=tenant_a.make("tasks.task", title="x"), publish=False
        )  # not the project's

    response = api.get(f"/api/context/project/{project_id}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {
        "project",
        "parent",
        "child_projects",
        "recent_tasks",
        "task_counts",
        "people",
        "history",
        "relevant_playbooks",
        "counts",
    }
    assert body["project"]["id"] == project_id and body["parent"]["name"] == "Grow hospitality"
    assert body["parent"]["project_type"] == "initiative"
    assert [p["name"] for p in body["child_projects"]] == ["Phase 1", "Phase 2"]  # direct children only
    assert {t["title"] for t in body["recent_tasks"]} == {"Email Patrick", "Plan", "Kickoff"}
    assert body["task_counts"] == {"queued": 1, "working": 1, "blocked": 0, "completed": 1, "cancelled": 0}
    assert [p["name"] for p in body["people"]] == ["Gina", "Patrick Fields"]  # each once
    assert body["people"][1]["communication_notes"].startswith("Prefers brief")
    assert [h["action"] for h in body["history"]] == ["task.started", "project.created"]
    assert [p["name"] for p in body["relevant_playbooks"]] == ["pilot-playbook"]
    assert body["counts"] == {"tasks": 3, "child_projects": 2, "people": 2}


def test_context_of_unknown_ids_is_404(tenant_a):
    for kind in ("task", "project"):
        response = tenant_a.api().get(f"/api/context/{kind}/{uuid.uuid4()}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


# --- constant query counts --------------------------------------------------------------------


def _task_with(world, n: int) -> tuple[str, dict]:
    """A task with n people, a project of n other open tasks, n tasks sharing its people, n log rows."""
    project = world.make("tasks.project", name=f"Project {n}")
    task = world.make("tasks.task", title="Draft email to the team", project=project)
    many = {"_quantity": n, "_bulk_create": True}
    people = world.make("people.person", **many, name=(f"Person {i}" for i in range(n)))
    world.make("tasks.task_person", **many, task=task, person=iter(people), role="recipient")
    world.make("tasks.task", **many, title=(f"Sibling {i}" for i in range(n)), project=project)
    others = world.make("tasks.task", **many, title=(f"Shared {i}" for i in range(n)))
    world.make("tasks.task_person", **many, task=iter(others), person=iter(people))
    for i in range(n):
        log_record(action=LogAction.TASK_UPDATED, by=world.by_claude, entity=task, details={"i": i}, publish=False)
    return f"/api/context/task/{task.pk}", {"related_people": n}


def _project_with(world, n: int) -> tuple[str, dict]:
    """A project with a parent, n child projects, n tasks with a person each, n log rows."""
    parent = world.make("tasks.project", name="Parent")
    project = world.make("tasks.project", name=f"Pilot {n}", parent=parent)
    many = {"_quantity": n, "_bulk_create": True}
    world.make("tasks.project", **many, name=(f"Child {i}" for i in range(n)), parent=project)
    tasks = world.make("tasks.task", **many, title=(f"Task {i}" for i in range(n)), project=project)
    people = world.make("people.person", **many, name=(f"Person {i}" for i in range(n)))
    world.make("tasks.task_person", **many, task=iter(tasks), person=iter(people))
    for i in range(n):
        log_record(action=LogAction.PROJECT_UPDATED, by=world.by_claude, entity=project, details={"i": i}, publish=False)
    return f"/api/context/project/{project.pk}", {"recent_tasks": min(n, 50), "child_projects": min(n, 50), "people": min(n, 50)}


@pytest.mark.parametrize("build", [_task_with, _project_with], ids=["task", "project"])
def test_context_query_count_is_constant(tenant_a, django_assert_max_num_queries, build):
    tenant_a.make("playbooks.email_guide")
    tenant_a.make("playbooks.playbook", name="team-updates", triggers=["the team"])
    counts = {}
    for n in (5, 200):
        with tenant_a.schema():
            url, sizes = build(tenant_a, n)
        api = tenant_a.api()
        api.get(url)  # warm-up: the key's last-use note is written at most once a minute
        with django_assert_max_num_queries(CONTEXT_QUERY_BOUND) as captured:
            body = api.get(url).json()
        counts[n] = len(captured)
        for key, size in sizes.items():
            assert len(body[key]) == size, key
        assert len(body["history"]) == min(n, 20)
    assert counts[5] == counts[200], counts
