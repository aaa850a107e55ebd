"""The owner's brake (issue #8, "Pause and stop"): pausing Claude for the workspace, stopping the task
it works on. Both are the owner's alone, logged and pushed live."""

import pytest

from apps.activity.models import Actor, Log
from apps.tasks.models import Task
from apps.tenants.services import workspace_pause


@pytest.fixture
def paused(tenant_a, owner_api):
    response = owner_api.put("/api/workspace/pause", {"paused": True, "note": "Board week: hands off."}, format="json")
    assert response.status_code == 200 and response.json()["paused"] is True


def test_only_the_owner_pauses_or_resumes(api):
    for paused in (True, False):
        refused = api.put("/api/workspace/pause", {"paused": paused}, format="json")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "owner_decision"
    assert api.get("/api/workspace/pause").json() == {"paused": False, "paused_at": None, "note": None}


def test_while_paused_claude_gets_no_work_and_cannot_start(tenant_a, api, paused):
    task = tenant_a.make("tasks.task", title="Queued while paused", priority=1)
    state = api.get("/api/workspace/pause").json()
    assert state["paused"] is True and state["note"] == "Board week: hands off." and state["paused_at"]
    assert api.get("/api/tasks/next").json() == {"task": None, "context": None, "matched_playbooks": [],
                                                 "must_consult_warnings": [], "reason": "paused"}
    assert api.post("/api/tasks/claim").json()["reason"] == "paused"
    refused = api.post(f"/api/tasks/{task.pk}/start")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "paused" and "Board week: hands off." in error["message"]
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).status == "queued"
        log = Log.objects.get(action="workspace.paused")
    assert (log.actor, log.details["note"]) == (Actor.USER, "Board week: hands off.")


def test_after_resuming_the_work_comes_back(tenant_a, api, owner_api):
    task = tenant_a.make("tasks.task", title="Waiting for the resume", priority=1)
    owner_api.put("/api/workspace/pause", {"paused": True}, format="json")
    owner_api.put("/api/workspace/pause", {"paused": True}, format="json")  # already paused: nothing new
    owner_api.put("/api/workspace/pause", {"paused": False}, format="json")
    body = api.get("/api/tasks/next").json()
    assert body["task"]["id"] == str(task.pk) and body["reason"] is None
    with tenant_a.schema():
        assert list(Log.objects.filter(action__startswith="workspace.").order_by("timestamp")
                    .values_list("action", flat=True)) == ["workspace.paused", "workspace.resumed"]


def test_pausing_publishes_its_event(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        workspace_pause(by=tenant_a.by_owner, paused=True)
        workspace_pause(by=tenant_a.by_owner, paused=False)
    assert [e.type for e in sent] == ["workspace.paused", "workspace.resumed"]


@pytest.fixture
def working(tenant_a, api):
    task = tenant_a.make("tasks.task", title="Draft the Liberty renewal", priority=1)
    assert api.post(f"/api/tasks/{task.pk}/start").status_code == 200
    return task


def test_the_owner_stops_a_working_task_and_claudes_next_call_gets_his_note(tenant_a, api, owner_api, working):
    stopped = owner_api.post(f"/api/tasks/{working.pk}/stop", {"note": "Patrick signed already."}, format="json")
    assert stopped.status_code == 200 and stopped.json()["status"] == "cancelled"
    calls = {
        "complete": lambda: api.post(f"/api/tasks/{working.pk}/complete", {"learnings_captured": False},
                                     format="json"),
        "block": lambda: api.post(f"/api/tasks/{working.pk}/block", {"question_text": "Go on?"}, format="json"),
        "start": lambda: api.post(f"/api/tasks/{working.pk}/start"),
        "update": lambda: api.patch(f"/api/tasks/{working.pk}", {"title": "Go on"}, format="json"),
    }
    for name, call in calls.items():
        response = call()
        assert response.status_code == 409, name
        error = response.json()["error"]
        assert error["code"] == "stopped_by_owner" and error["details"]["note"] == "Patrick signed already.", name
        assert "Patrick signed already." in error["message"], name
    with tenant_a.schema():
        log = Log.objects.get(action="task.stopped", entity_id=working.pk)
    assert (log.actor, log.details["note"], log.details["new_status"]) == (Actor.USER, "Patrick signed already.",
                                                                          "cancelled")


def test_only_the_owner_stops_and_only_a_working_task_with_a_note(tenant_a, api, owner_api, working):
    refused = api.post(f"/api/tasks/{working.pk}/stop", {"note": "Stop."}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "owner_decision"
    assert owner_api.post(f"/api/tasks/{working.pk}/stop", {"note": "  "}, format="json").status_code == 400
    queued = tenant_a.make("tasks.task", title="Not started")
    not_working = owner_api.post(f"/api/tasks/{queued.pk}/stop", {"note": "Stop."}, format="json")
    assert not_working.status_code == 409 and not_working.json()["error"]["code"] == "invalid_transition"
    with tenant_a.schema():
        assert Task.objects.get(pk=working.pk).status == "working"
