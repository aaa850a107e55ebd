"""The knowledge endpoints: shapes as the seed shows them, filters, pagination, 400s, 404s and 409s."""

import uuid

from apps.activity.models import Log
from apps.knowledge.models import Knowledge
from apps.people.models import Person


def error(response, status):
    assert response.status_code == status, response.content[:500]
    return response.json()["error"]


def test_capture_answers_the_seed_shape(tenant_a, api):
    patrick = tenant_a.make("people.person", name="Patrick Fields")
    task = tenant_a.make("tasks.task")
    response = api.post("/api/knowledge/capture", {
        "content": "Patrick prefers brief, direct emails", "category": "person", "source_task_id": str(task.pk),
        "trigger_phrase": "remember that",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"knowledge", "routed_to", "action_taken"}
    assert {"id", "content", "category", "status"} <= set(body["knowledge"])
    assert body["knowledge"]["status"] == "routed"
    assert body["knowledge"]["source_type"] == "trigger_phrase"
    assert body["knowledge"]["source_task_id"] == str(task.pk)
    assert body["routed_to"] == {"type": "person", "id": str(patrick.pk), "field_updated": "communication_notes"}
    assert body["action_taken"] == "Updated Patrick Fields's communication_notes"
    assert body["knowledge"]["routed_to"] == body["routed_to"]


def test_capture_that_cannot_pick_answers_pending_review_with_candidates(tenant_a, api):
    tenant_a.make("people.person", name="Sarah Jones")
    tenant_a.make("people.person", name="Sarah Smith")
    body = api.post("/api/knowledge/capture", {"content": "Sarah prefers calls", "category": "person"},
                    format="json").json()
    assert body["routed_to"] is None and body["knowledge"]["status"] == "pending_review"
    assert sorted(c["name"] for c in body["knowledge"]["candidates"]) == ["Sarah Jones", "Sarah Smith"]
    assert body["knowledge"]["source_type"] == "conversation"
    with tenant_a.schema():
        assert not Person.objects.exclude(communication_notes=None).exists()


def test_capture_400s_name_the_field(tenant_a, api):
    client = tenant_a.make("people.client", name="Liberty Hotel")
    cases = [
        ({"category": "person"}, "content:"),
        ({"content": "x", "category": "gossip"}, "category:"),
        ({"content": "  ", "category": "rule"}, "content:"),
        ({"content": "x", "category": "person", "target_type": "client", "target_id": str(client.pk)}, "target_type:"),
        ({"content": "x", "category": "person", "target_type": "task"}, "target_type:"),
        ({"content": "x", "category": "person", "target_type": "person"}, "target_id:"),
        ({"content": "x", "category": "setting", "target_type": "user_settings", "target_id": str(uuid.uuid4())},
         "target_id:"),
        ({"content": "x", "category": "person", "target_id": str(client.pk)}, "target_type:"),
    ]
    for body, start in cases:
        assert error(api.post("/api/knowledge/capture", body, format="json"), 400)["message"].startswith(start), body
    with tenant_a.schema():
        assert not Knowledge.objects.exists()


def test_capture_with_ids_of_another_tenant_is_400_naming_the_field(tenant_a, tenant_b, api):
    person = tenant_b.make("people.person", name="Patrick Fields")
    task = tenant_b.make("tasks.task")
    body = error(api.post("/api/knowledge/capture", {"content": "Patrick likes calls", "category": "person",
                                                     "target_type": "person", "target_id": str(person.pk)},
                          format="json"), 400)
    assert body["message"].startswith("target_id:")
    body = error(api.post("/api/knowledge/capture", {"content": "x", "category": "rule",
                                                     "source_task_id": str(task.pk)}, format="json"), 400)
    assert body["message"].startswith("source_task_id:")
    with tenant_a.schema():
        assert not Knowledge.objects.exists()


def test_list_filters_and_paginates(tenant_a, api):
    task = tenant_a.make("tasks.task")
    tenant_a.make("knowledge.knowledge", category="rule", _quantity=3)
    tenant_a.make("knowledge.knowledge", category="person", source_task=task)
    tenant_a.make("knowledge.pending")
    page = api.get("/api/knowledge", {"limit": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert api.get("/api/knowledge", {"category": "rule"}).json()["count"] == 3
    assert api.get("/api/knowledge", {"status": "pending_review"}).json()["count"] == 1
    only = api.get("/api/knowledge", {"source_task_id": str(task.pk)}).json()["results"]
    assert [k["source_task_id"] for k in only] == [str(task.pk)]
    assert error(api.get("/api/knowledge", {"status": "done"}), 400)["message"].startswith("status:")
    assert error(api.get("/api/knowledge", {"source_task_id": "nope"}), 400)["message"].startswith("source_task_id:")


def test_pending_lists_captured_and_pending_review_oldest_first(tenant_a, api):
    old = tenant_a.make("knowledge.trigger_entry")
    review = tenant_a.make("knowledge.pending")
    tenant_a.make("knowledge.knowledge", status="dismissed", dismissed_reason="no")
    tenant_a.make("knowledge.knowledge", status="routed", routed_to_type="user_settings")
    body = api.get("/api/knowledge/pending").json()
    assert [k["id"] for k in body["results"]] == [str(old.pk), str(review.pk)]


def test_detail_and_unknown_id(tenant_a, api):
    entry = tenant_a.make("knowledge.pending", candidates=[{"type": "person", "id": str(uuid.uuid4()),
                                                            "name": "Sarah Jones", "matched": "sarah"}])
    body = api.get(f"/api/knowledge/{entry.pk}").json()
    assert body["status"] == "pending_review" and body["candidates"][0]["name"] == "Sarah Jones"
    assert body["routed_to"] is None
    assert error(api.get(f"/api/knowledge/{uuid.uuid4()}"), 404)["code"] == "not_found"


def test_route_by_hand_then_409(tenant_a, api, owner_api):
    smith = tenant_a.make("people.person", name="Sarah Smith")
    entry = tenant_a.make("knowledge.pending")
    response = owner_api.post(f"/api/knowledge/{entry.pk}/route", {"target_type": "person", "target_id": str(smith.pk)},
                        format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["routed_to"] == {"type": "person", "id": str(smith.pk), "field_updated": "communication_notes"}
    assert body["knowledge"]["status"] == "routed"
    again = error(owner_api.post(f"/api/knowledge/{entry.pk}/route", {"target_type": "person",
                                                                "target_id": str(smith.pk)}, format="json"), 409)
    assert again["code"] == "invalid_transition" and again["details"]["status"] == "routed"
    assert error(owner_api.post(f"/api/knowledge/{entry.pk}/dismiss", {"reason": "x"}, format="json"), 409)


def test_route_400s(tenant_a, tenant_b, owner_api):
    entry = tenant_a.make("knowledge.pending")
    foreign = tenant_b.make("people.person", name="Sarah Smith")
    url = f"/api/knowledge/{entry.pk}/route"
    assert error(owner_api.post(url, {"target_type": "person"}, format="json"), 400)["message"].startswith("target_id:")
    assert error(owner_api.post(url, {"target_type": "meeting"}, format="json"), 400)["message"].startswith("target_type:")
    assert error(owner_api.post(url, {"target_type": "person", "target_id": str(foreign.pk)}, format="json"),
                 400)["message"].startswith("target_id: no such person in this workspace")
    with tenant_a.schema():
        entry.refresh_from_db()
        assert entry.status == "pending_review"


def test_route_without_target_routes_by_category(tenant_a, api, owner_api):
    entry = tenant_a.make("knowledge.trigger_entry")
    body = owner_api.post(f"/api/knowledge/{entry.pk}/route", {}, format="json").json()
    assert body["routed_to"]["type"] == "playbook" and body["action_taken"].endswith("'Rules' playbook with this rule")


def test_dismiss_requires_a_reason(tenant_a, api, owner_api):
    entry = tenant_a.make("knowledge.trigger_entry")
    assert error(owner_api.post(f"/api/knowledge/{entry.pk}/dismiss", {}, format="json"), 400)["message"].startswith(
        "reason:")
    assert error(owner_api.post(f"/api/knowledge/{entry.pk}/dismiss", {"reason": " "}, format="json"), 400)
    body = owner_api.post(f"/api/knowledge/{entry.pk}/dismiss", {"reason": "Already known"}, format="json").json()
    assert body["status"] == "dismissed" and body["dismissed_reason"] == "Already known"
    assert error(owner_api.post(f"/api/knowledge/{entry.pk}/dismiss", {"reason": "again"}, format="json"), 409)
    with tenant_a.schema():
        assert Log.objects.filter(action="knowledge.dismissed", entity_id=entry.pk).count() == 1


def test_triggers_list_and_add(tenant_a, tenant_b, api):
    body = api.get("/api/knowledge/triggers").json()
    assert body["phrases"] == ["remember that", "for future reference", "here's how we do this", "going forward",
                               "always", "never", "FYI for next time"]
    assert body["custom"] == []
    added = api.post("/api/knowledge/triggers", {"phrase": "  note   to self "}, format="json")
    assert added.status_code == 201 and added.json()["custom"] == ["note to self"]
    assert api.get("/api/knowledge/triggers").json()["phrases"][-1] == "note to self"
    assert api.post("/api/knowledge/triggers", {"phrase": "Note to self"}, format="json").status_code == 200
    assert api.post("/api/knowledge/triggers", {"phrase": "ALWAYS"}, format="json").status_code == 200
    assert error(api.post("/api/knowledge/triggers", {"phrase": "!!"}, format="json"), 400)["message"].startswith(
        "phrase:")
    assert error(api.post("/api/knowledge/triggers", {}, format="json"), 400)["message"].startswith("phrase:")
    assert tenant_b.api().get("/api/knowledge/triggers").json()["custom"] == []
    with tenant_a.schema():
        assert Log.objects.filter(action="knowledge.trigger_added").count() == 1


def test_requests_without_a_key_are_401(tenant_a):
    from rest_framework.test import APIClient

    assert error(APIClient().get("/api/knowledge"), 401)
    assert error(APIClient().post("/api/knowledge/capture", {}, format="json"), 401)
