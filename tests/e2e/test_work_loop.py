"""Claude's whole loop through the HTTP API: next → start → block → answer → next → complete."""


from apps.tasks.models import Task


def test_full_loop_with_a_question_and_the_knowledge_step(tenant_a, api, owner_api):
    tenant_a.make("playbooks.email_guide")
    created = api.post("/api/tasks", {"title": "Draft follow-up email to Patrick", "priority": 1}, format="json")
    assert created.status_code == 201, created.json()
    task_id = created.json()["id"]

    nxt = api.get("/api/tasks/next").json()
    assert nxt["task"]["id"] == task_id
    assert nxt["matched_playbooks"][0]["name"] == "email-drafting-guide"
    assert nxt["matched_playbooks"][0]["match_reason"] == "trigger: 'follow up with'" or "trigger" in nxt[
        "matched_playbooks"][0]["match_reason"]
    assert nxt["must_consult_warnings"][0]["playbook_name"] == "email-drafting-guide"
    assert api.get("/api/tasks/next").json()["task"]["id"] == task_id  # next has no side effects

    started = api.post(f"/api/tasks/{task_id}/start")
    assert started.status_code == 200 and started.json()["task"]["status"] == "working"
    again = api.post(f"/api/tasks/{task_id}/start")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert "working" in again.json()["error"]["message"]

    blocked = api.post(f"/api/tasks/{task_id}/block", {"question_text": "Offer a discount?", "why_asking": "Budget",
                                                       "what_claude_will_do": "Add a line", "priority": 1},
                       format="json").json()
    assert blocked["task"]["status"] == "blocked"
    question_id = blocked["question"]["id"]
    assert blocked["task"]["blocking_question_id"] == question_id
    assert api.get("/api/tasks/next").json()["task"] is None

    answered = owner_api.put(f"/api/questions/{question_id}/answer", {"answer": "Yes, 10%"}, format="json").json()
    assert [t["id"] for t in answered["unblocked_tasks"]] == [task_id]
    nxt = api.get("/api/tasks/next").json()
    assert nxt["task"]["id"] == task_id
    assert nxt["task"]["context"]["answers"][0]["answer"] == "Yes, 10%"

    api.post(f"/api/tasks/{task_id}/start")
    refused = api.post(f"/api/tasks/{task_id}/complete", {"output": "Drafted"}, format="json")
    assert refused.status_code == 400
    assert "Before completing, what did you learn?" in refused.json()["error"]["message"]

    done = api.post(f"/api/tasks/{task_id}/complete", {
        "output": "Drafted", "knowledge": [{"content": "Patrick prefers brief emails", "category": "person"}],
        "follow_up_tasks": [{"title": "Check Patrick replied", "priority": 2}],
    }, format="json")
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["task"]["status"] == "completed" and body["task"]["completed_at"]
    assert body["knowledge"][0]["category"] == "person"
    assert body["follow_up_tasks"][0]["title"] == "Check Patrick replied"
    assert body["warnings"][0]["code"] == "must_consult_skipped"
    with tenant_a.schema():
        assert Task.objects.get(title="Check Patrick replied").status == "queued"
