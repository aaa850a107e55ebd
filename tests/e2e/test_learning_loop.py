"""The learning loop through the HTTP API (seed principle 1): a task, a question, an answer with a
trigger phrase, completion refused until that learning's entry is settled (routed to the person,
by hand or inline in the completion with its knowledge_id, or dismissed), whatever else is captured."""

from apps.activity.models import Log


def test_learning_loop_from_answer_to_routed_knowledge(tenant_a, owner_api):
    api = tenant_a.api()
    patrick = tenant_a.make("people.person", name="Patrick Fields", email="patrick@liberty.example")
    tenant_a.make("people.person", name="Sarah Jones")
    tenant_a.make("people.person", name="Sarah Smith")

    task_id = api.post("/api/tasks", {"title": "Draft follow-up email to Patrick", "priority": 1},
                       format="json").json()["id"]
    assert api.post(f"/api/tasks/{task_id}/start").status_code == 200
    blocked = api.post(f"/api/tasks/{task_id}/block", {"question_text": "Long or short email?",
                                                       "why_asking": "Patrick is new to me"}, format="json").json()
    question_id = blocked["question"]["id"]

    answer = "Short. Remember that Patrick prefers brief, direct emails, no attachments."
    assert owner_api.put(f"/api/questions/{question_id}/answer", {"answer": answer}, format="json").status_code == 200

    pending = api.get("/api/knowledge/pending").json()["results"]
    assert len(pending) == 1
    auto = pending[0]
    assert auto["source_type"] == "trigger_phrase" and auto["trigger_phrase"] == "remember that"
    assert auto["status"] == "captured" and auto["source_task_id"] == task_id
    assert auto["content"] == "Remember that Patrick prefers brief, direct emails, no attachments."
    assert auto["category"] == "person"

    assert api.post(f"/api/tasks/{task_id}/start").status_code == 200
    refused = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "learnings_captured": True},
                       format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "trigger_phrase_not_captured" and '"remember that"' in error["message"]
    assert f"POST /api/knowledge/{auto['id']}/route" in error["message"]
    assert error["details"]["knowledge"] == [{"id": auto["id"], "trigger_phrase": "remember that",
                                              "content": auto["content"]}]

    # An ambiguous capture first: it waits for review, nothing is written, candidates are listed.
    ambiguous = api.post("/api/knowledge/capture", {"content": "Sarah should be cc'd on Patrick's emails",
                                                    "category": "person", "source_task_id": task_id},
                         format="json").json()
    assert ambiguous["knowledge"]["status"] == "pending_review" and ambiguous["routed_to"] is None
    assert len(ambiguous["knowledge"]["candidates"]) == 3  # two Sarahs and Patrick

    captured = api.post("/api/knowledge/capture", {
        "content": "Patrick prefers brief, direct emails", "category": "person", "source_task_id": task_id,
        "trigger_phrase": "remember that",
    }, format="json")
    assert captured.status_code == 201
    body = captured.json()
    assert body["routed_to"] == {"type": "person", "id": str(patrick.pk), "field_updated": "communication_notes"}
    assert body["action_taken"] == "Updated Patrick Fields's communication_notes"

    # Capturing the same learning again does not settle the owner's entry: it is still only captured.
    still = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "learnings_captured": True},
                     format="json")
    assert still.status_code == 400 and still.json()["error"]["code"] == "trigger_phrase_not_captured"
    assert auto["id"] in still.json()["error"]["message"]

    # The auto entry is routed (that is where its learning gets stored): by hand, to Patrick.
    routed = owner_api.post(f"/api/knowledge/{auto['id']}/route", {"target_type": "person", "target_id": str(patrick.pk)},
                      format="json")
    assert routed.status_code == 200

    done = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "learnings_captured": True},
                    format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["task"]["status"] == "completed"

    listed = api.get("/api/knowledge", {"source_task_id": task_id}).json()
    assert listed["count"] == 3
    assert sorted(k["status"] for k in listed["results"]) == ["pending_review", "routed", "routed"]
    assert [k["id"] for k in api.get("/api/knowledge/pending").json()["results"]] == [ambiguous["knowledge"]["id"]]
    with tenant_a.schema():
        patrick.refresh_from_db()
        assert patrick.communication_notes.count("Patrick prefers brief, direct emails") == 2
        actions = list(Log.objects.filter(action__startswith="knowledge.").values_list("action", flat=True))
        assert sorted(actions) == ["knowledge.captured"] * 3 + ["knowledge.pending_review"] + ["knowledge.routed"] * 2
        assert {log.details["source_task_id"] for log in Log.objects.filter(action__startswith="knowledge.")} == {
            task_id}


def test_a_completion_settles_the_trigger_entry_inline_by_its_knowledge_id(tenant_a, owner_api):
    api = tenant_a.api()
    patrick = tenant_a.make("people.person", name="Patrick Fields", email="patrick@liberty.example")
    task_id = api.post("/api/tasks", {"title": "Draft follow-up email to Patrick"}, format="json").json()["id"]
    api.post(f"/api/tasks/{task_id}/start")
    question_id = api.post(f"/api/tasks/{task_id}/block", {"question_text": "Long or short?"},
                           format="json").json()["question"]["id"]
    owner_api.put(f"/api/questions/{question_id}/answer", {"answer": "Short. Patrick never reads attachments."},
            format="json")
    auto, = api.get("/api/knowledge/pending").json()["results"]
    api.post(f"/api/tasks/{task_id}/start")

    refused = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "knowledge": [
        {"content": "Patrick never reads attachments", "category": "person"}]}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "trigger_phrase_not_captured"
    both = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "knowledge": [
        {"knowledge_id": auto["id"], "content": "x"}]}, format="json")
    assert both.status_code == 400 and "content" in both.json()["error"]["message"]
    neither = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "knowledge": [{"category": "rule"}]},
                       format="json")
    assert neither.status_code == 400 and "content" in neither.json()["error"]["message"]

    done = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted", "knowledge": [
        {"knowledge_id": auto["id"], "category": "person"}]}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["task"]["status"] == "completed"
    assert [(k["id"], k["status"]) for k in done.json()["knowledge"]] == [(auto["id"], "routed")]
    routed = api.get(f"/api/knowledge/{auto['id']}").json()["routed_to"]
    assert (routed["type"], routed["id"]) == ("person", str(patrick.pk))
    with tenant_a.schema():
        patrick.refresh_from_db()
        assert "Patrick never reads attachments." in (patrick.communication_notes or "") + (patrick.context_notes or "")
