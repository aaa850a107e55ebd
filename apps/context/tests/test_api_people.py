"""GET /api/context/person/{id} and /api/context/client/{id}: payload keys and contents, and a
constant number of queries whatever the number of related rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.people.models import Person

# Queries per context request, whatever the data size: API-key authentication and the tenant, the
# entity, each capped list (with its total in the same query), the history, and playbook matching.
# Both sizes must stay within it, and use exactly as many queries as each other.
CONTEXT_QUERY_BOUND = 16


def _playbooks(world):
    """A must-consult communication guide, a sales playbook, and one whose trigger is the account's name."""
    world.make("playbooks.email_guide")
    world.make("playbooks.playbook", name="discount-policy", category="sales", description="When to discount.")
    world.make("playbooks.playbook", name="liberty-account", triggers=["liberty hotel"], description="The account.")


def test_person_context_has_relationship_context_open_tasks_waiting_history_and_playbooks(tenant_a):
    liberty = tenant_a.make("people.liberty")
    _playbooks(tenant_a)
    api = tenant_a.api()
    patrick_id = api.post(
        "/api/people",
        {
            "name": "Patrick Fields",
            "company": "Liberty Hotel",
            "client_id": str(liberty.pk),
            "relationship_to_user": "Main contact at Liberty Hotel",
            "political_context": "Reports to GM.",
            "communication_notes": "Brief, direct emails.",
        },
        format="json",
    ).json()["id"]
    with tenant_a.schema():
        patrick = Person.objects.get(pk=patrick_id)
        urgent = tenant_a.make("tasks.task", title="Reply to Patrick", priority=1)
        later = tenant_a.make("tasks.task", title="Quarterly check-in", priority=4)
        done = tenant_a.make("tasks.task", title="Sent the proposal", status="completed", completed_at=timezone.now())
        other = tenant_a.make("tasks.task", title="Someone else's task")
        for task, role in ((urgent, "recipient"), (later, "subject"), (done, "recipient")):
            tenant_a.make("tasks.task_person", task=task, person=patrick, role=role)
        log_record(action=LogAction.TASK_COMPLETED, by=tenant_a.by_claude, entity=done, publish=False)
        log_record(action=LogAction.TASK_CREATED, by=tenant_a.by_claude, entity=other, publish=False)
        waiting = tenant_a.make("tasks.waiting", person=patrick, what="Signed contract",
                                follow_up_date=timezone.now() + timedelta(days=2))
        tenant_a.make("tasks.waiting", person=patrick, what="Old thing", status="resolved", resolved_at=timezone.now())

    response = api.get(f"/api/context/person/{patrick_id}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {"person", "client", "open_tasks", "waiting_items", "history", "relevant_playbooks", "counts"}
    person = body["person"]
    assert (person["relationship_to_user"], person["political_context"], person["communication_notes"]) == (
        "Main contact at Liberty Hotel",
        "Reports to GM.",
        "Brief, direct emails.",
    )
    assert body["client"]["name"] == "Liberty Hotel" and body["client"]["notes"] == "AI implementation pilot"
    assert [(t["role"], t["task"]["title"]) for t in body["open_tasks"]] == [
        ("recipient", "Reply to Patrick"),
        ("subject", "Quarterly check-in"),
    ]
    assert [w["id"] for w in body["waiting_items"]] == [str(waiting.pk)]
    assert [h["action"] for h in body["history"]] == ["task.completed", "person.created"]
    playbooks = {p["name"]: p for p in body["relevant_playbooks"]}
    assert set(playbooks) == {"email-drafting-guide", "liberty-account"}  # not the sales one
    assert playbooks["liberty-account"]["match_reason"] == "trigger: 'liberty hotel'"
    assert playbooks["email-drafting-guide"]["must_consult"] is True
    assert playbooks["email-drafting-guide"]["warning"].startswith("MUST consult 'email-drafting-guide'")
    assert body["counts"] == {"open_tasks": 2, "waiting_items": 1}


def test_client_context_has_people_deals_projects_open_tasks_and_history(tenant_a):
    _playbooks(tenant_a)
    api = tenant_a.api()
    client_id = api.post("/api/clients", {"name": "Liberty Hotel"}, format="json").json()["id"]
    with tenant_a.schema():
        patrick = tenant_a.make("people.patrick", client_id=client_id)
        tenant_a.make("people.person", name="Gina", client_id=client_id)
        tenant_a.make("people.person", name="Not theirs")
        pilot = tenant_a.make("tasks.project", name="Pilot", client_id=client_id)
        tenant_a.make("tasks.project", name="Elsewhere")
        in_project = tenant_a.make("tasks.task", title="Pilot kickoff", project=pilot, priority=2)
        with_patrick = tenant_a.make("tasks.task", title="Email Patrick", priority=1)
        tenant_a.make("tasks.task_person", task=with_patrick, person=patrick)
        tenant_a.make("tasks.task_person", task=in_project, person=patrick)  # both ways: listed once
        tenant_a.make("tasks.task", title="Done", project=pilot, status="completed", completed_at=timezone.now())
        tenant_a.make("tasks.task", title="Unrelated")
        won = tenant_a.make("sales.opportunity", client_id=client_id, name="Phase 1", stage="closed_won",
                            closed_at=timezone.now(), expected_close_date=timezone.now().date())
        open_deal = tenant_a.make("sales.opportunity", client_id=client_id, name="Rollout", stage="proposal", value=12000)
        log_record(action=LogAction.PERSON_UPDATED, by=tenant_a.by_claude, entity=patrick, publish=False)
        log_record(action=LogAction.PROJECT_CREATED, by=tenant_a.by_claude, entity=pilot, publish=False)

    body = api.get(f"/api/context/client/{client_id}").json()
    assert set(body) == {
        "client",
        "people",
        "sales_opportunities",
        "projects",
        "open_tasks",
        "history",
        "relevant_playbooks",
        "counts",
    }
    assert body["client"]["name"] == "Liberty Hotel"
    assert [p["name"] for p in body["people"]] == ["Gina", "Patrick Fields"]
    assert body["people"][1]["political_context"] == "Reports to GM. Close to decision-maker."
    assert [o["id"] for o in body["sales_opportunities"]] == [str(open_deal.pk), str(won.pk)]  # open first
    assert body["sales_opportunities"][0]["value"] == "12000.00"
    assert [p["name"] for p in body["projects"]] == ["Pilot"]
    assert [t["title"] for t in body["open_tasks"]] == ["Email Patrick", "Pilot kickoff"]
    assert [h["action"] for h in body["history"]] == ["project.created", "person.updated", "client.created"]
    names = {p["name"] for p in body["relevant_playbooks"]}
    assert names == {"liberty-account", "discount-policy", "email-drafting-guide"}
    assert body["counts"] == {"people": 2, "sales_opportunities": 2, "projects": 1, "open_tasks": 2}


def test_context_of_an_unknown_id_is_404(tenant_a):
    import uuid

    for kind in ("person", "client"):
        response = tenant_a.api().get(f"/api/context/{kind}/{uuid.uuid4()}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


# --- constant query counts --------------------------------------------------------------------


def _person_with(world, n: int) -> tuple[str, dict, int]:
    """A person on n open tasks, waited on for n things, with n log rows of their own and n of their tasks'."""
    client = world.make("people.client")
    person = world.make("people.patrick", client=client)
    many = {"_quantity": n, "_bulk_create": True}
    tasks = world.make("tasks.task", **many, title=(f"Email {i}" for i in range(n)))
    world.make("tasks.task_person", **many, task=iter(tasks), person=person, role="recipient")
    world.make("tasks.waiting", **many, person=person, what=(f"Thing {i}" for i in range(n)))
    for i, task in enumerate(tasks):
        log_record(action=LogAction.PERSON_UPDATED, by=world.by_claude, entity=person, details={"i": i}, publish=False)
        log_record(action=LogAction.TASK_UPDATED, by=world.by_claude, entity=task, publish=False)
    return f"/api/context/person/{person.pk}", {"open_tasks": n, "waiting_items": n}, 2 * n


def _client_with(world, n: int) -> tuple[str, dict, int]:
    """A client with n people, n deals, n projects each with a task, n tasks with its people, n log rows."""
    client = world.make("people.client")
    many = {"_quantity": n, "_bulk_create": True}
    people = world.make("people.person", **many, client=client, name=(f"P {i}" for i in range(n)))
    world.make("sales.opportunity", **many, client=client, name=(f"Deal {i}" for i in range(n)))
    projects = world.make("tasks.project", **many, client=client, name=(f"Pr {i}" for i in range(n)))
    world.make("tasks.task", **many, title=(f"In project {i}" for i in range(n)), project=iter(projects))
    tasks = world.make("tasks.task", **many, title=(f"With person {i}" for i in range(n)))
    world.make("tasks.task_person", **many, task=iter(tasks), person=iter(people))
    for i in range(n):
        log_record(action=LogAction.CLIENT_UPDATED, by=world.by_claude, entity=client, details={"i": i}, publish=False)
    totals = {"people": n, "sales_opportunities": n, "projects": n, "open_tasks": 2 * n}
    return f"/api/context/client/{client.pk}", totals, n


@pytest.mark.parametrize("build", [_person_with, _client_with], ids=["person", "client"])
def test_context_query_count_is_constant(tenant_a, django_assert_max_num_queries, build):
    _playbooks(tenant_a)
    counts = {}
    for n in (5, 200):
        with tenant_a.schema():
            url, totals, logged = build(tenant_a, n)
        api = tenant_a.api()
        api.get(url)  # warm-up: the key's last-use note is written at most once a minute
        with django_assert_max_num_queries(CONTEXT_QUERY_BOUND) as captured:
            body = api.get(url).json()
        counts[n] = len(captured)
        assert body["counts"] == totals
        for key, total in totals.items():
            assert len(body[key]) == min(total, 50), key
        assert len(body["history"]) == min(logged, 20)
    assert counts[5] == counts[200], counts
