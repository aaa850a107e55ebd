"""People and clients API: CRUD, 400s naming the field, filters and full-text search, the audit Log
and live events, and the delete rules (409 while something depends on the row)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.activity.models import Log
from apps.people.models import Client, Person
from apps.tasks.models import Task, TaskPerson


def logs(world, action):
    with world.schema():
        return list(Log.objects.filter(action=action).order_by("timestamp"))


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


# --- people: create, read, update ---------------------------------------------------------------


def test_create_person_with_relationship_context_and_client(tenant_a):
    liberty = tenant_a.make("people.liberty")
    response = tenant_a.api().post(
        "/api/people",
        {
            "name": "Patrick Fields",
            "email": "patrick@liberty.example",
            "client_id": str(liberty.pk),
            "relationship": "client",
            "relationship_to_user": "Main contact at Liberty Hotel",
            "political_context": "Reports to GM. Close to decision-maker.",
            "communication_notes": "Prefers brief, direct emails.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["client"] == {"id": str(liberty.pk), "name": "Liberty Hotel", "status": "active"}
    assert body["political_context"] == "Reports to GM. Close to decision-maker."
    assert body["metadata"] == {}
    [log] = logs(tenant_a, "person.created")
    assert (log.entity_type, str(log.entity_id), log.actor) == ("person", body["id"], "claude")
    assert log.details == {"name": "Patrick Fields", "client_id": str(liberty.pk)}


def test_client_id_of_another_workspace_is_a_400_naming_the_field_and_writes_nothing(tenant_a, tenant_b):
    foreign = tenant_b.make("people.liberty")
    for client_id in (foreign.pk, uuid.uuid4()):
        body = error(tenant_a.api().post("/api/people", {"name": "X", "client_id": str(client_id)}, format="json"), 400)
        assert body["code"] == "validation_error"
        assert body["message"].startswith("client_id: no such client in this workspace")
        assert list(body["details"]) == ["client_id"]
    with tenant_a.schema():
        assert not Person.objects.exists() and not Log.objects.filter(action="person.created").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "X", "email": "not an email"}, "email"),
        ({"name": "X", "relationship": "nemesis"}, "relationship"),
        ({"name": "X", "client_id": "nope"}, "client_id"),
        ({"name": "X", "next_follow_up": "tomorrow-ish"}, "next_follow_up"),
    ],
)
def test_invalid_person_input_is_a_400_naming_the_field(tenant_a, payload, field):
    body = error(tenant_a.api().post("/api/people", payload, format="json"), 400)
    assert body["code"] == "validation_error" and body["message"].startswith(f"{field}:")
    assert field in body["details"]


def test_get_person_and_unknown_id_is_404(tenant_a):
    patrick = tenant_a.make("people.patrick")
    assert tenant_a.api().get(f"/api/people/{patrick.pk}").json()["communication_notes"].startswith("Prefers brief")
    assert error(tenant_a.api().get(f"/api/people/{uuid.uuid4()}"), 404)["code"] == "not_found"


def test_put_updates_a_subset_and_logs_the_fields_that_changed(tenant_a):
    patrick = tenant_a.make("people.patrick")
    api = tenant_a.api()
    response = api.put(
        f"/api/people/{patrick.pk}", {"communication_notes": "Bullet points only.", "name": patrick.name}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["communication_notes"] == "Bullet points only."
    assert response.json()["political_context"] == "Reports to GM. Close to decision-maker."  # untouched
    [log] = logs(tenant_a, "person.updated")
    assert log.details == {"name": "Patrick Fields", "fields": ["communication_notes"]}
    # the same values again change nothing, so nothing is logged
    api.patch(f"/api/people/{patrick.pk}", {"communication_notes": "Bullet points only."}, format="json")
    assert len(logs(tenant_a, "person.updated")) == 1


def test_patch_moves_a_person_between_clients_and_detaches_with_null(tenant_a, tenant_b):
    first, second = tenant_a.make("people.client"), tenant_a.make("people.client")
    person = tenant_a.make("people.person", client=first)
    api = tenant_a.api()
    assert api.patch(f"/api/people/{person.pk}", {"client_id": str(second.pk)}, format="json").json()["client"]["id"] == str(
        second.pk
    )
    assert api.patch(f"/api/people/{person.pk}", {"client_id": None}, format="json").json()["client"] is None
    assert [log.details["fields"] for log in logs(tenant_a, "person.updated")] == [["client_id"], ["client_id"]]
    foreign = tenant_b.make("people.client")
    body = error(api.patch(f"/api/people/{person.pk}", {"client_id": str(foreign.pk)}, format="json"), 400)
    assert body["message"].startswith("client_id:")


def test_person_writes_publish_their_event_after_commit(tenant_a, live_events, django_capture_on_commit_callbacks):
    with live_events(tenant_a) as receive:
        with django_capture_on_commit_callbacks(execute=True):
            created = tenant_a.api().post("/api/people", {"name": "Maria"}, format="json").json()
        event = receive()
    assert event["type"] == "person.created" and event["payload"]["entity_id"] == created["id"]


def test_requests_without_a_key_are_401(tenant_a):
    from rest_framework.test import APIClient

    assert error(APIClient().get("/api/people"), 401)["code"] == "not_authenticated"


# --- people: lists, filters, search -------------------------------------------------------------


def test_list_filters_by_client_relationship_and_follow_up(tenant_a):
    liberty, acme = tenant_a.make("people.liberty"), tenant_a.make("people.client", name="Acme")
    now = timezone.now()
    tenant_a.make("people.patrick", client=liberty, next_follow_up=now + timedelta(days=1))
    tenant_a.make("people.person", name="Gina", client=liberty, relationship="colleague")
    tenant_a.make("people.person", name="Ann", client=acme, relationship="partner", next_follow_up=now + timedelta(days=9))
    api = tenant_a.api()

    def names(**query):
        response = api.get("/api/people", query)
        assert response.status_code == 200, response.json()
        return [p["name"] for p in response.json()["results"]]

    assert names() == ["Ann", "Gina", "Patrick Fields"]  # by name
    assert names(client_id=liberty.pk) == ["Gina", "Patrick Fields"]
    assert names(relationship="client,partner") == ["Ann", "Patrick Fields"]
    assert names(follow_up_before=(now + timedelta(days=2)).isoformat()) == ["Patrick Fields"]
    assert names(ordering="-name") == ["Patrick Fields", "Gina", "Ann"]
    page = api.get("/api/people", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 3 and [p["name"] for p in page["results"]] == ["Gina", "Patrick Fields"]
    assert error(api.get("/api/people", {"relationship": "nemesis"}), 400)["message"].startswith("relationship:")


def test_search_is_full_text_with_web_search_syntax_best_match_first(tenant_a):
    tenant_a.make("people.patrick")  # company Liberty Hotel, "Main contact at Liberty Hotel"
    tenant_a.make("people.person", name="Liberty Jones", company="Acme")
    tenant_a.make("people.person", name="Sam", context_notes="Met at the hotels conference")
    api = tenant_a.api()

    def names(q):
        return [p["name"] for p in api.get("/api/people", {"search": q}).json()["results"]]

    assert names("liberty") == ["Liberty Jones", "Patrick Fields"]  # the name outranks the company
    assert sorted(names("hotel")) == ["Patrick Fields", "Sam"]  # stemmed: hotels ~ hotel
    assert names("hotel -conference") == ["Patrick Fields"]
    assert names('"main contact"') == ["Patrick Fields"]
    assert names("liberty") == names("LIBERTY")


# --- people: delete -------------------------------------------------------------------------


def test_delete_a_person_nothing_open_depends_on(tenant_a):
    person = tenant_a.make("people.patrick")
    done = tenant_a.make("tasks.task", title="Old email", status="completed", completed_at=timezone.now())
    tenant_a.make("tasks.task_person", task=done, person=person, role="recipient")
    response = tenant_a.api().delete(f"/api/people/{person.pk}")
    assert response.status_code == 204
    with tenant_a.schema():
        assert not Person.objects.exists() and not TaskPerson.objects.exists()
        assert Task.objects.filter(pk=done.pk).exists()
    [log] = logs(tenant_a, "person.deleted")
    assert log.details == {"name": "Patrick Fields", "closed_task_links": 1}


def test_delete_a_person_on_an_open_task_is_409_and_says_what_to_do(tenant_a):
    person = tenant_a.make("people.patrick")
    task = tenant_a.make("tasks.task", title="Draft email to Patrick")
    tenant_a.make("tasks.task_person", task=task, person=person, role="recipient")
    body = error(tenant_a.api().delete(f"/api/people/{person.pk}"), 409)
    assert body["code"] == "person_in_use"
    assert "'Draft email to Patrick'" in body["message"] and "PUT /api/tasks/{id}" in body["message"]
    assert body["details"]["open_task_ids"] == [str(task.pk)]
    with tenant_a.schema():
        assert Person.objects.filter(pk=person.pk).exists() and TaskPerson.objects.exists()
    assert logs(tenant_a, "person.deleted") == []


def test_delete_a_person_we_are_waiting_on_is_409(tenant_a):
    person = tenant_a.make("people.patrick")
    item = tenant_a.make("tasks.waiting", person=person, what="Signed contract")
    body = error(tenant_a.api().delete(f"/api/people/{person.pk}"), 409)
    assert "waiting on" in body["message"] and body["details"]["waiting_item_ids"] == [str(item.pk)]


# --- clients ----------------------------------------------------------------------------------


def test_client_crud_and_audit_log(tenant_a):
    api = tenant_a.api()
    response = api.post("/api/clients", {"name": "Liberty Hotel", "status": "prospect", "notes": "Pilot"}, format="json")
    assert response.status_code == 201, response.json()
    client_id = response.json()["id"]
    assert api.get(f"/api/clients/{client_id}").json()["status"] == "prospect"
    updated = api.patch(f"/api/clients/{client_id}", {"status": "active"}, format="json").json()
    assert updated["status"] == "active" and updated["notes"] == "Pilot"
    assert api.delete(f"/api/clients/{client_id}").status_code == 204
    assert error(api.get(f"/api/clients/{client_id}"), 404)["code"] == "not_found"
    with tenant_a.schema():
        trail = list(Log.objects.filter(entity_id=client_id).order_by("timestamp").values_list("action", "details"))
    assert trail == [
        ("client.created", {"name": "Liberty Hotel", "status": "prospect"}),
        ("client.updated", {"name": "Liberty Hotel", "fields": ["status"]}),
        ("client.deleted", {"name": "Liberty Hotel"}),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "name"), ({"name": "X", "status": "bankrupt"}, "status"), ({"name": "X", "metadata": "not a dict"}, "metadata")],
)
def test_invalid_client_input_is_a_400_naming_the_field(tenant_a, payload, field):
    body = error(tenant_a.api().post("/api/clients", payload, format="json"), 400)
    assert body["message"].startswith(f"{field}:")


def test_client_filters_status_name_and_search(tenant_a):
    tenant_a.make("people.liberty")
    tenant_a.make("people.client", name="Acme Corp", status="prospect", notes="Liberty Hotel's sister company")
    tenant_a.make("people.client", name="Old Co", status="churned")
    api = tenant_a.api()

    def names(**query):
        return [c["name"] for c in api.get("/api/clients", query).json()["results"]]

    assert names() == ["Acme Corp", "Liberty Hotel", "Old Co"]
    assert names(status="active,prospect") == ["Acme Corp", "Liberty Hotel"]
    assert names(name="co") == ["Acme Corp", "Old Co"]
    assert names(search="liberty") == ["Liberty Hotel", "Acme Corp"]  # name (weight A) before notes (B)
    assert error(api.get("/api/clients", {"status": "bankrupt"}), 400)["message"].startswith("status:")


def test_delete_a_client_with_people_projects_or_deals_is_409_saying_archive(tenant_a):
    liberty = tenant_a.make("people.liberty")
    tenant_a.make("people.patrick", client=liberty)
    tenant_a.make("tasks.project", name="Pilot", client=liberty)
    tenant_a.make("sales.opportunity", name="Rollout", client=liberty)
    body = error(tenant_a.api().delete(f"/api/clients/{liberty.pk}"), 409)
    assert body["code"] == "client_in_use"
    assert body["message"].startswith("Client 'Liberty Hotel' still has 1 person, 1 project, 1 sales opportunity.")
    assert 'status "archived"' in body["message"]
    assert body["details"] == {"client_id": str(liberty.pk), "people": 1, "projects": 1, "sales_opportunities": 1}
    with tenant_a.schema():
        assert Client.objects.filter(pk=liberty.pk).exists()
