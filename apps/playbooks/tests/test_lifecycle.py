"""Creating, editing and the proposal workflow (seed: "Playbooks" endpoints, "Playbook Proposal
Workflow"): proposed → approved (active, matched) or rejected (with a reason, kept); active →
archived (no longer matched). Every illegal move is a 409 that says the current status and what to
do; every change writes the audit Log and its event."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from model_bakery import baker

from apps.activity.models import Log
from apps.playbooks.models import Playbook
from apps.tasks.models import Task

MATCH = "/api/playbooks/match"


def _playbook(world, **fields) -> Playbook:
    with world.schema():
        return baker.make_recipe("playbooks.playbook", user=world.owner, **fields)


def _reload(world, playbook_id) -> Playbook:
    with world.schema():
        return Playbook.objects.defer("search_vector").get(pk=playbook_id)


def _logs(world, playbook_id) -> list[Log]:
    with world.schema():
        return list(Log.objects.filter(entity_type="playbook", entity_id=playbook_id).order_by("timestamp"))


def _matched_ids(api, text) -> list[str]:
    body = api.get(MATCH, {"task_description": text}).json()
    return [m["playbook"]["id"] for m in body["matched"]]


@pytest.fixture
def api(tenant_a):
    return tenant_a.api()


@pytest.fixture
def sent(monkeypatch):
    """What reaches the live channel layer (apps.activity tests the Redis round trip itself)."""
    sent = []
    monkeypatch.setattr("apps.activity.events.event_send", lambda **event: sent.append(event))
    return sent


PROPOSAL = {
    "name": "weekly-wins-note",
    "description": "How to write the Friday wins note for the team.",
    "content": "# Weekly wins note\n\nThree bullets; name the person who did the work.\n",
    "learned_from": "Claude noticed the pattern in three weeks of notes",
    "triggers": ["wins note"],
}


# --- the whole workflow -------------------------------------------------------------------------

def test_proposal_is_not_matched_until_approved_then_is(tenant_a, api):
    response = api.post("/api/playbooks/propose", PROPOSAL, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"playbook"}  # the seed's { playbook (status=proposed) }
    proposal = body["playbook"]
    assert proposal["status"] == "proposed" and proposal["learned_from"] == PROPOSAL["learned_from"]
    assert proposal["content"] == PROPOSAL["content"]  # not trimmed: markdown keeps its last newline

    assert _matched_ids(api, "Write the wins note for Friday") == []
    approved = api.put(f"/api/playbooks/{proposal['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    assert _matched_ids(api, "Write the wins note for Friday") == [proposal["id"]]

    archived = api.put(f"/api/playbooks/{proposal['id']}/archive")
    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert _matched_ids(api, "Write the wins note for Friday") == []

    assert [log.action for log in _logs(tenant_a, proposal["id"])] == [
        "playbook.proposed", "playbook.approved", "playbook.archived"]


def test_each_state_change_writes_its_log_and_publishes_its_event_on_commit(
        tenant_a, api, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = api.post("/api/playbooks", {**PROPOSAL, "name": "created"}, format="json").json()
        api.put(f"/api/playbooks/{created['id']}", {"description": "Changed."}, format="json")
        proposed = api.post("/api/playbooks/propose", PROPOSAL, format="json").json()["playbook"]
        api.put(f"/api/playbooks/{proposed['id']}/reject", {"reason": "We stopped the wins note."}, format="json")
        other = api.post("/api/playbooks/propose", {**PROPOSAL, "name": "other"}, format="json").json()["playbook"]
        api.put(f"/api/playbooks/{other['id']}/approve")
        api.put(f"/api/playbooks/{other['id']}/archive")
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert {e["schema_name"] for e in sent} == {tenant_a.tenant.schema_name}
    published = [(e["event_type"], e["payload"]["entity_id"]) for e in sent]
    assert published == [
        ("playbook.created", created["id"]), ("playbook.updated", created["id"]),
        ("playbook.proposed", proposed["id"]), ("playbook.rejected", proposed["id"]),
        ("playbook.proposed", other["id"]), ("playbook.approved", other["id"]), ("playbook.archived", other["id"]),
    ]
    update = _logs(tenant_a, created["id"])[1]
    assert update.action == "playbook.updated" and update.details["fields"] == ["description"]
    assert update.actor == "claude"  # an API key's writes are Claude's
    rejection = _logs(tenant_a, proposed["id"])[1]
    assert rejection.details == {"name": "weekly-wins-note", "from": "proposed", "to": "rejected",
                                 "reason": "We stopped the wins note."}


# --- POST /api/playbooks ------------------------------------------------------------------------

def test_create_is_active_at_once_and_matched(tenant_a, api):
    response = api.post("/api/playbooks", {
        "name": "board pack", "description": "Preparing the quarterly board report.", "content": "# Board pack",
        "category": "communication", "triggers": ["board pack"], "must_consult": True,
        "scripts": {"check.py": "print(1)\n"}, "examples": [{"case": "Q3"}],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "active" and body["must_consult"] is True and body["scripts"] == {"check.py": "print(1)\n"}
    assert body["content_html"] == "<h1>Board pack</h1>"
    assert _matched_ids(api, "Prepare the board pack") == [body["id"]]
    assert [log.action for log in _logs(tenant_a, body["id"])] == ["playbook.created"]


def test_create_as_proposed_is_a_proposal(tenant_a, api):
    response = api.post("/api/playbooks", {**PROPOSAL, "status": "proposed"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "proposed"
    assert [log.action for log in _logs(tenant_a, response.json()["id"])] == ["playbook.proposed"]


@pytest.mark.parametrize(("body", "field"), [
    ({"description": "d", "content": "c"}, "name"),
    ({"name": "  ", "description": "d", "content": "c"}, "name"),
    ({"name": "n", "content": "c"}, "description"),
    ({"name": "n", "description": "d"}, "content"),
    ({"name": "n", "description": "d", "content": " \n "}, "content"),
    ({"name": "x" * 256, "description": "d", "content": "c"}, "name"),
    ({"name": "n", "description": "d", "content": "c", "triggers": "draft email"}, "triggers"),
    ({"name": "n", "description": "d", "content": "c", "scripts": ["a"]}, "scripts"),
    ({"name": "n", "description": "d", "content": "c", "status": "archived"}, "status"),
    ({"name": "n", "description": "d", "content": "c", "status": "nonsense"}, "status"),
    ({"name": "n", "description": "d", "content": "c", "source_task_id": "nope"}, "source_task_id"),
])
def test_create_refuses_bad_input_naming_the_field(tenant_a, api, body, field):
    response = api.post("/api/playbooks", body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{field}:"), error
    with tenant_a.schema():
        assert not Playbook.objects.exists() and not Log.objects.filter(entity_type="playbook").exists()


# --- POST /api/playbooks/propose ----------------------------------------------------------------

def test_propose_links_the_source_task(tenant_a, api):
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Write the wins note")
    response = api.post("/api/playbooks/propose", {**PROPOSAL, "source_task_id": str(task.pk)}, format="json",
                        HTTP_X_SESSION_ID="loop-3")
    assert response.status_code == 201
    playbook = response.json()["playbook"]
    assert playbook["source_task_id"] == str(task.pk)
    log = _logs(tenant_a, playbook["id"])[0]
    assert log.action == "playbook.proposed" and log.actor == "claude" and log.session_id == "loop-3"
    assert log.details["source_task_id"] == str(task.pk) and log.details["learned_from"] == PROPOSAL["learned_from"]


def test_propose_with_another_workspaces_or_an_unknown_task_is_400_naming_the_field(tenant_a, tenant_b, api):
    with tenant_b.schema():
        foreign = Task.objects.create(user=tenant_b.owner, title="B's task")
    for task_id in (foreign.pk, uuid.uuid4()):
        response = api.post("/api/playbooks/propose", {**PROPOSAL, "source_task_id": str(task_id)}, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["message"] == f"source_task_id: no task {task_id} in this workspace."
        assert set(error["details"]) == {"source_task_id"}
    with tenant_a.schema():
        assert not Playbook.objects.exists()


@pytest.mark.parametrize("missing", ["name", "description", "content"])
def test_propose_needs_name_description_and_content(api, missing):
    body = {k: v for k, v in PROPOSAL.items() if k != missing}
    response = api.post("/api/playbooks/propose", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["message"].startswith(f"{missing}:")


def test_propose_sets_no_status(api):
    response = api.post("/api/playbooks/propose", {**PROPOSAL, "status": "active"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("status:")


# --- PUT / PATCH /api/playbooks/{id} ------------------------------------------------------------

@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_changes_only_the_fields_sent(tenant_a, api, method):
    playbook = _playbook(tenant_a, name="scheduling", triggers=["schedule"], must_consult=True, category="scheduling")
    response = getattr(api, method)(f"/api/playbooks/{playbook.pk}",
                                    {"content": "# Scheduling\n\nThree calendars.", "triggers": ["book time"]},
                                    format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["triggers"] == ["book time"] and body["content"] == "# Scheduling\n\nThree calendars."
    assert body["must_consult"] is True and body["category"] == "scheduling" and body["name"] == "scheduling"
    assert body["content_html"] == "<h1>Scheduling</h1>\n<p>Three calendars.</p>"
    assert body["use_count"] == 0  # an edit is not a consultation
    log = _logs(tenant_a, playbook.pk)[-1]
    assert log.action == "playbook.updated" and log.details["fields"] == ["content", "triggers"]


def test_update_of_a_proposal_keeps_it_proposed(tenant_a, api):
    playbook = _playbook(tenant_a, status="proposed")
    response = api.put(f"/api/playbooks/{playbook.pk}", {"description": "Better."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "proposed"


def test_update_refuses_status_and_says_how_to_move_it(tenant_a, api):
    playbook = _playbook(tenant_a, status="proposed")
    response = api.put(f"/api/playbooks/{playbook.pk}", {"status": "active"}, format="json")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message.startswith("status:") and "/approve" in message
    assert _reload(tenant_a, playbook.pk).status == "proposed"


def test_update_links_and_unlinks_a_source_task(tenant_a, api):
    playbook = _playbook(tenant_a)
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Source")
    linked = api.patch(f"/api/playbooks/{playbook.pk}", {"source_task_id": str(task.pk)}, format="json")
    assert linked.json()["source_task_id"] == str(task.pk)
    unlinked = api.patch(f"/api/playbooks/{playbook.pk}", {"source_task_id": None}, format="json")
    assert unlinked.json()["source_task_id"] is None


def test_update_with_bad_input_is_400_and_changes_nothing(tenant_a, api):
    playbook = _playbook(tenant_a, name="kept")
    for body, field in [({"name": ""}, "name"), ({"content": "   "}, "content"),
                        ({"source_task_id": str(uuid.uuid4())}, "source_task_id")]:
        response = api.put(f"/api/playbooks/{playbook.pk}", body, format="json")
        assert response.status_code == 400 and response.json()["error"]["message"].startswith(f"{field}:")
    assert _reload(tenant_a, playbook.pk).name == "kept"
    assert not [log for log in _logs(tenant_a, playbook.pk) if log.action == "playbook.updated"]


@pytest.mark.parametrize("status", ["rejected", "archived"])
def test_rejected_and_archived_playbooks_are_not_edited(tenant_a, api, status):
    playbook = _playbook(tenant_a, status=status, rejected_reason="No." if status == "rejected" else None)
    response = api.put(f"/api/playbooks/{playbook.pk}", {"content": "New"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and f"it is {status}" in error["message"]
    assert "POST /api/playbooks" in error["message"]  # what to do instead
    assert error["details"] == {"playbook_id": str(playbook.pk), "status": status,
                                "allowed_from": ["active", "proposed"]}
    assert _reload(tenant_a, playbook.pk).content != "New"


# --- approve / reject / archive: every illegal move is a 409 ------------------------------------

def test_reject_keeps_the_proposal_with_its_reason(tenant_a, api):
    playbook = _playbook(tenant_a, status="proposed", triggers=["wins note"])
    response = api.put(f"/api/playbooks/{playbook.pk}/reject", {"reason": "We stopped doing that note."},
                       format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "rejected" and body["rejected_reason"] == "We stopped doing that note."
    stored = _reload(tenant_a, playbook.pk)
    assert stored.status == "rejected" and stored.rejected_reason == "We stopped doing that note."
    assert _matched_ids(api, "Write the wins note") == []
    listed = api.get("/api/playbooks", {"status": "rejected"}).json()["results"]
    assert [p["id"] for p in listed] == [str(playbook.pk)]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}])
def test_reject_requires_a_reason(tenant_a, api, body):
    playbook = _playbook(tenant_a, status="proposed")
    response = api.put(f"/api/playbooks/{playbook.pk}/reject", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("reason:")
    assert _reload(tenant_a, playbook.pk).status == "proposed"
    assert not _logs(tenant_a, playbook.pk)


def test_the_database_refuses_a_rejected_playbook_without_a_reason(tenant_a):
    playbook = _playbook(tenant_a, status="proposed")
    with tenant_a.schema(), pytest.raises(IntegrityError), transaction.atomic():
        Playbook.objects.filter(pk=playbook.pk).update(status="rejected")


ILLEGAL = [
    ("approve", "active", "already active"),
    ("approve", "rejected", "POST /api/playbooks/propose"),
    ("approve", "archived", "create a new one"),
    ("reject", "active", "archive an active playbook instead"),
    ("reject", "rejected", "already rejected"),
    ("reject", "archived", "nothing to do"),
    ("archive", "proposed", "reject it with a reason instead"),
    ("archive", "rejected", "kept for the record"),
    ("archive", "archived", "already archived"),
]


@pytest.mark.parametrize(("verb", "status", "hint"), ILLEGAL, ids=[f"{v}-{s}" for v, s, _ in ILLEGAL])
def test_every_illegal_move_is_409_with_the_status_and_what_to_do(tenant_a, api, verb, status, hint):
    playbook = _playbook(tenant_a, status=status, rejected_reason="Not needed." if status == "rejected" else None)
    response = api.put(f"/api/playbooks/{playbook.pk}/{verb}", {"reason": "Because."}, format="json")
    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["message"].startswith(f"Cannot {verb} playbook '{playbook.name}': it is {status}.")
    assert hint in error["message"]
    assert error["details"]["status"] == status and error["details"]["playbook_id"] == str(playbook.pk)
    assert _reload(tenant_a, playbook.pk).status == status
    assert not _logs(tenant_a, playbook.pk)


def test_archive_with_a_placeholder_hint_names_the_playbook(tenant_a, api):
    playbook = _playbook(tenant_a, status="proposed")
    message = api.put(f"/api/playbooks/{playbook.pk}/archive").json()["error"]["message"]
    assert f"PUT /api/playbooks/{playbook.pk}/reject" in message


@pytest.mark.parametrize("verb", ["approve", "reject", "archive", "export"])
def test_unknown_or_foreign_ids_are_404(tenant_a, tenant_b, api, verb):
    foreign = _playbook(tenant_b, status="proposed")
    method = api.get if verb == "export" else api.put
    for playbook_id in (foreign.pk, uuid.uuid4()):
        response = method(f"/api/playbooks/{playbook_id}/{verb}", {"reason": "x"}, format="json")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert _reload(tenant_b, foreign.pk).status == "proposed"


def test_update_of_a_foreign_playbook_is_404_and_changes_nothing(tenant_a, tenant_b, api):
    foreign = _playbook(tenant_b, name="B's")
    response = api.put(f"/api/playbooks/{foreign.pk}", {"name": "taken over"}, format="json")
    assert response.status_code == 404
    assert _reload(tenant_b, foreign.pk).name == "B's"


def test_approving_an_archived_must_consult_playbook_does_not_bring_back_its_warning(tenant_a, api):
    playbook = _playbook(tenant_a, status="archived", must_consult=True, category="communication",
                         triggers=["email to"])
    assert api.put(f"/api/playbooks/{playbook.pk}/approve").status_code == 409
    assert api.get(MATCH, {"task_description": "Draft email to Maria"}).json() == {"matched": [], "must_consult": []}


def test_lifecycle_endpoints_need_a_key(tenant_a):
    from rest_framework.test import APIClient

    playbook = _playbook(tenant_a, status="proposed")
    client = APIClient()
    for method, path in [("post", "/api/playbooks"), ("post", "/api/playbooks/propose"),
                         ("put", f"/api/playbooks/{playbook.pk}/approve"), ("post", "/api/playbooks/import")]:
        response = getattr(client, method)(path, {}, format="json", HTTP_HOST=tenant_a.host)
        assert response.status_code == 401, path
    assert _reload(tenant_a, playbook.pk).status == "proposed"
