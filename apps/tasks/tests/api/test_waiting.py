"""Waiting items API: CRUD, the overdue list, resolving (once), references within the workspace, the Log."""

from datetime import timedelta

from django.utils import timezone

from apps.activity.models import Log
from apps.tasks.models import WaitingItem


def _logs(world, action):
    with world.schema():
        return list(Log.objects.filter(action=action).order_by("timestamp"))


def test_create_with_person_and_task_and_list(tenant_a):
    person = tenant_a.make("people.person", name="Patrick")
    task = tenant_a.make("tasks.task", title="Send proposal")
    api = tenant_a.api()
    follow_up = (timezone.now() + timedelta(days=3)).isoformat()
    response = api.post("/api/waiting", {"what": "Budget approval", "who": "Patrick", "person_id": str(person.pk),
                                         "task_id": str(task.pk), "follow_up_date": follow_up,
                                         "why_it_matters": "Blocks the kickoff"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["person_id"], body["task_id"], body["overdue"]) == (
        "waiting", str(person.pk), str(task.pk), False)
    assert body["since"] is not None
    assert [i["id"] for i in api.get("/api/waiting").json()["results"]] == [body["id"]]
    assert [i["id"] for i in api.get("/api/waiting", {"person_id": str(person.pk)}).json()["results"]] == [body["id"]]
    assert api.get("/api/waiting", {"status": "resolved"}).json()["results"] == []
    assert api.get("/api/waiting", {"status": "bogus"}).status_code == 400
    [log] = _logs(tenant_a, "waiting.created")
    assert log.details["what"] == "Budget approval" and str(log.entity_id) == body["id"]


def test_create_refuses_references_outside_the_workspace_naming_the_field(tenant_a, tenant_b):
    foreign_person = tenant_b.make("people.person", name="B's person")
    foreign_task = tenant_b.make("tasks.task", title="B's task")
    api = tenant_a.api()
    person = api.post("/api/waiting", {"what": "x", "person_id": str(foreign_person.pk)}, format="json")
    assert person.status_code == 400 and person.json()["error"]["message"].startswith("person_id: no such person")
    task = api.post("/api/waiting", {"what": "x", "task_id": str(foreign_task.pk)}, format="json")
    assert task.status_code == 400 and task.json()["error"]["message"].startswith("task_id: no such task")
    missing = api.post("/api/waiting", {"who": "nobody"}, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["message"].startswith("what:")
    with tenant_a.schema():
        assert not WaitingItem.objects.exists()


def test_overdue_lists_open_items_past_follow_up_most_overdue_first(tenant_a):
    now = timezone.now()
    late = tenant_a.make("tasks.waiting", what="late", follow_up_date=now - timedelta(days=1))
    later = tenant_a.make("tasks.waiting", what="very late", follow_up_date=now - timedelta(days=5))
    tenant_a.make("tasks.waiting", what="not yet", follow_up_date=now + timedelta(days=1))
    tenant_a.make("tasks.waiting", what="no date")
    tenant_a.make("tasks.waiting", what="resolved", follow_up_date=now - timedelta(days=9), status="resolved", resolved_at=now)
    tenant_a.make("tasks.waiting", what="abandoned", follow_up_date=now - timedelta(days=9), status="abandoned")
    body = tenant_a.api().get("/api/waiting/overdue").json()
    assert [i["id"] for i in body["results"]] == [str(later.pk), str(late.pk)]
    assert all(i["overdue"] for i in body["results"])


def test_resolve_with_notes_then_again_is_409(tenant_a):
    item = tenant_a.make("tasks.waiting", what="Signed contract")
    api = tenant_a.api()
    response = api.put(f"/api/waiting/{item.pk}/resolve", {"notes": "Arrived signed"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["resolution_notes"]) == ("resolved", "Arrived signed")
    assert body["resolved_at"] is not None
    again = api.put(f"/api/waiting/{item.pk}/resolve", {"notes": "again"}, format="json")
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "invalid_transition" and error["details"]["status"] == "resolved"
    assert "already resolved" in error["message"]
    with tenant_a.schema():
        assert WaitingItem.objects.get(pk=item.pk).resolution_notes == "Arrived signed"
    [log] = _logs(tenant_a, "waiting.resolved")
    assert log.details["notes"] == "Arrived signed"


def test_resolving_an_abandoned_item_is_409_and_status_resolved_is_not_set_by_update(tenant_a):
    item = tenant_a.make("tasks.waiting", what="Signed contract")
    api = tenant_a.api()
    assert api.patch(f"/api/waiting/{item.pk}", {"status": "resolved"}, format="json").status_code == 400
    assert api.patch(f"/api/waiting/{item.pk}", {"status": "abandoned"}, format="json").json()["status"] == "abandoned"
    refused = api.put(f"/api/waiting/{item.pk}/resolve", {}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["details"]["status"] == "abandoned"
    assert api.patch(f"/api/waiting/{item.pk}", {"status": "waiting"}, format="json").json()["status"] == "waiting"
    assert api.put(f"/api/waiting/{item.pk}/resolve", {}, format="json").status_code == 200
    reopened = api.patch(f"/api/waiting/{item.pk}", {"status": "waiting"}, format="json")
    assert reopened.status_code == 409 and reopened.json()["error"]["details"]["status"] == "resolved"


def test_update_and_delete_write_the_log(tenant_a):
    item = tenant_a.make("tasks.waiting", what="Signed contract", who="Maria")
    api = tenant_a.api()
    url = f"/api/waiting/{item.pk}"
    follow_up = (timezone.now() + timedelta(days=2)).isoformat()
    updated = api.put(url, {"who": "Maria", "follow_up_date": follow_up}, format="json")
    assert updated.status_code == 200 and updated.json()["follow_up_date"] is not None
    assert api.patch(url, {"who": "Maria"}, format="json").status_code == 200  # no change: nothing logged
    assert api.get(url).json()["who"] == "Maria"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    [log] = _logs(tenant_a, "waiting.updated")
    assert log.details["fields"] == ["follow_up_date"]
    assert len(_logs(tenant_a, "waiting.deleted")) == 1
