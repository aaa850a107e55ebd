"""Playbooks API: listing, serving (which is consulting), matching, and must-consult enforcement
through the task loop (seed: "Playbooks", "Playbook Matching Algorithm", "Must-Consult Enforcement");
creating, editing and the proposal workflow ("Playbook Proposal Workflow").

Trigger phrases: the seed calls them an "exact match". Here that means the whole phrase, in any
case, with any spacing: trigger "email" matches "Send the EMAIL" but not "emailing" (a substring
test would make "call" match "recall" and "meet" match "meeting"). Inflected forms are the
full-text similarity's job, which compares stemmed terms.
"""

import uuid

import pytest

from apps.activity.models import Log
from apps.playbooks.models import Playbook

MATCH = "/api/playbooks/match"


def _reload(world, playbook) -> Playbook:
    """The playbook (or the playbook of that id) as stored now."""
    with world.schema():
        return Playbook.objects.defer("search_vector").get(pk=getattr(playbook, "pk", playbook))


def _logs(world, playbook_id) -> list[Log]:
    with world.schema():
        return list(Log.objects.filter(entity_type="playbook", entity_id=playbook_id).order_by("timestamp"))


def _matched_ids(api, text) -> list[str]:
    body = api.get(MATCH, {"task_description": text}).json()
    return [m["playbook"]["id"] for m in body["matched"]]


@pytest.fixture
def sent(monkeypatch):
    """What reaches the live channel layer (apps.activity tests the Redis round trip itself)."""
    sent = []
    monkeypatch.setattr("apps.activity.events.event_send", lambda **event: sent.append(event))
    return sent


# --- GET /api/playbooks -----------------------------------------------------------------------

def test_list_shows_active_playbooks_by_default_paginated_with_previews(tenant_a, api):
    tenant_a.make("playbooks.email_guide")
    tenant_a.make("playbooks.playbook", name="scheduling", category="scheduling")
    tenant_a.make("playbooks.playbook", name="proposed one", status="proposed")
    tenant_a.make("playbooks.playbook", name="archived one", status="archived")
    response = api.get("/api/playbooks")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None
    assert [p["name"] for p in body["results"]] == ["email-drafting-guide", "scheduling"]
    first = body["results"][0]
    assert "content" not in first  # a list is not a consultation: full content only by id
    assert first["content_preview"].startswith("# Email Drafting Guide")
    assert first["must_consult"] is True and first["triggers"][0] == "draft email"
    assert api.get("/api/playbooks", {"limit": 1}).json()["next"] is not None


def test_list_filters_by_status_category_and_must_consult(tenant_a, api):
    tenant_a.make("playbooks.email_guide")
    tenant_a.make("playbooks.playbook", name="scheduling", category="scheduling")
    tenant_a.make("playbooks.playbook", name="proposed one", status="proposed", category="scheduling")

    def names(**query):
        response = api.get("/api/playbooks", query)
        assert response.status_code == 200, response.json()
        return [p["name"] for p in response.json()["results"]]

    assert names(status="proposed") == ["proposed one"]
    assert names(category="scheduling") == ["scheduling"]
    assert names(must_consult="true") == ["email-drafting-guide"]
    assert names(must_consult="false") == ["scheduling"]
    assert names(must_consult="") == ["email-drafting-guide", "scheduling"]


@pytest.mark.parametrize(("query", "field"), [({"status": "deleted"}, "status"), ({"must_consult": "maybe"}, "must_consult")])
def test_list_refuses_bad_filters_naming_the_parameter(api, query, field):
    response = api.get("/api/playbooks", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{field}:")


def test_list_needs_a_key(tenant_a):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/playbooks", HTTP_HOST=tenant_a.host)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


# --- GET /api/playbooks/match -----------------------------------------------------------------

def test_match_answers_exactly_the_seed_shape(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    body = api.get("/api/playbooks/match", {"task_description": "Draft email to Maria about the pilot"}).json()
    assert set(body) == {"matched", "must_consult"}
    assert [set(m) for m in body["matched"]] == [{"playbook", "match_reason", "relevance_score"}]
    assert [set(m) for m in body["must_consult"]] == [{"playbook", "warning"}]
    assert body["matched"][0]["playbook"]["id"] == str(guide.pk)
    assert body["must_consult"][0]["playbook"]["id"] == str(guide.pk)


def test_match_by_trigger_phrase_is_case_insensitive(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    body = api.get("/api/playbooks/match", {"task_description": "Write an EMAIL   TO Maria"}).json()
    assert body["matched"] == [{"playbook": body["matched"][0]["playbook"], "match_reason": "trigger: 'email to'",
                                "relevance_score": 1.0}]
    assert body["matched"][0]["playbook"]["id"] == str(guide.pk)


def test_match_by_trigger_phrase_needs_the_whole_phrase(tenant_a, api):
    tenant_a.make("playbooks.playbook", name="email etiquette", triggers=["email"], description="Etiquette for messages.")
    hit = api.get("/api/playbooks/match", {"task_description": "Send the email, then relax"}).json()["matched"]
    assert [m["match_reason"] for m in hit] == ["trigger: 'email'"]
    miss = api.get("/api/playbooks/match", {"task_description": "Clean up the emailing list"}).json()["matched"]
    assert not any(m["match_reason"].startswith("trigger") for m in miss)


def test_match_by_full_text_similarity_with_a_score(tenant_a, api):
    report = tenant_a.make("playbooks.playbook", name="board pack", description="Preparing the quarterly board report.")
    tenant_a.make("playbooks.playbook", name="unrelated", description="Booking flights and hotels.")
    # task terms (stemmed): prepar, quarter, board, report, acm -> 4 of 5 shared with the playbook
    body = api.get("/api/playbooks/match", {"task_description": "Prepare the quarterly board report for Acme"}).json()
    assert len(body["matched"]) == 1
    match = body["matched"][0]
    assert match["playbook"]["id"] == str(report.pk)
    assert match["relevance_score"] == pytest.approx(0.8)
    assert match["match_reason"].startswith("description similarity: ") and "'board'" in match["match_reason"]
    # one shared term of three is below the 0.5 threshold
    weak = api.get("/api/playbooks/match", {"task_description": "Board game night"}).json()
    assert weak["matched"] == []


def test_match_orders_by_relevance(tenant_a, api):
    tenant_a.make("playbooks.playbook", name="board pack", description="Preparing the quarterly board report.")
    tenant_a.make("playbooks.playbook", name="zz board", triggers=["board report"], description="Slides.")
    body = api.get("/api/playbooks/match", {"task_description": "Prepare the quarterly board report for Acme"}).json()
    assert [(m["playbook"]["name"], m["relevance_score"]) for m in body["matched"]] == [("zz board", 1.0),
                                                                                      ("board pack", 0.8)]


def test_match_reports_must_consult_playbooks_by_category_with_a_warning(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    tenant_a.make("playbooks.playbook", name="notes style", category="communication", must_consult=False)
    # no trigger phrase, little text in common: the task is communication work all the same
    body = api.get("/api/playbooks/match", {"task_description": "Reply with a short note to Patrick"}).json()
    assert [m["playbook"]["id"] for m in body["must_consult"]] == [str(guide.pk)]
    warning = body["must_consult"][0]["warning"]
    assert "MUST consult 'email-drafting-guide'" in warning and f"/api/playbooks/{guide.pk}?task_id=" in warning
    unrelated = api.get("/api/playbooks/match", {"task_description": "Renew the server certificate"}).json()
    assert unrelated == {"matched": [], "must_consult": []}


def test_match_ignores_playbooks_that_are_not_active(tenant_a, api):
    tenant_a.make("playbooks.email_guide", status="proposed")
    tenant_a.make("playbooks.email_guide", name="archived guide", status="archived")
    body = api.get("/api/playbooks/match", {"task_description": "Draft email to Maria"}).json()
    assert body == {"matched": [], "must_consult": []}


@pytest.mark.parametrize("query", [{}, {"task_description": ""}, {"task_description": "   "}])
def test_match_without_a_task_description_is_400_naming_the_field(api, query):
    response = api.get("/api/playbooks/match", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("task_description:")
    assert set(error["details"]) == {"task_description"}


# --- GET /api/playbooks/{id} ------------------------------------------------------------------

def test_get_serves_full_content_and_counts_each_use(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide", scripts={"check.py": "print(1)"})
    first = api.get(f"/api/playbooks/{guide.pk}")
    assert first.status_code == 200
    body = first.json()
    assert body["content"] == guide.content and body["scripts"] == {"check.py": "print(1)"}
    assert body["use_count"] == 1 and body["last_used"] is not None
    assert api.get(f"/api/playbooks/{guide.pk}").json()["use_count"] == 2
    stored = _reload(tenant_a, guide)
    assert stored.use_count == 2 and stored.last_used is not None
    with tenant_a.schema():
        logs = list(Log.objects.filter(action="playbook.consulted", entity_id=guide.pk))
    assert len(logs) == 2 and logs[0].details["task_id"] is None and logs[0].actor == "claude"


def test_get_with_task_id_records_the_consultation_for_that_task(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    task = tenant_a.make("tasks.task", title="Draft email to Maria")
    response = api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(task.pk)}, HTTP_X_SESSION_ID="loop-7")
    assert response.status_code == 200 and response.json()["use_count"] == 1
    with tenant_a.schema():
        log = Log.objects.get(action="playbook.consulted", entity_id=guide.pk)
    assert log.details == {"task_id": str(task.pk), "name": "email-drafting-guide"}
    assert log.entity_type == "playbook" and log.session_id == "loop-7"


def test_get_with_a_foreign_or_unknown_task_id_is_404_and_records_nothing(tenant_a, tenant_b, api):
    guide = tenant_a.make("playbooks.email_guide")
    foreign = tenant_b.make("tasks.task", title="B's task")
    for task_id in (foreign.pk, uuid.uuid4()):
        response = api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(task_id)})
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["code"] == "not_found" and error["message"].startswith("task_id:")
    assert _reload(tenant_a, guide).use_count == 0
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consulted").exists()


def test_get_with_a_malformed_task_id_is_400(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    response = api.get(f"/api/playbooks/{guide.pk}", {"task_id": "not-a-uuid"})
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("task_id:")
    assert _reload(tenant_a, guide).use_count == 0


def test_get_unknown_or_foreign_playbook_is_404(tenant_a, tenant_b, api):
    foreign = tenant_b.make("playbooks.email_guide")
    for playbook_id in (foreign.pk, uuid.uuid4()):
        response = api.get(f"/api/playbooks/{playbook_id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert _reload(tenant_b, foreign).use_count == 0


# --- Must-consult enforcement through the task loop (principle 6) ------------------------------

def _complete(api, task) -> dict:
    response = api.post(f"/api/tasks/{task.pk}/complete", {"output": "Drafted", "learnings_captured": False},
                        format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_consulting_with_task_id_then_completing_gives_no_must_consult_warning(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    task = tenant_a.make("tasks.task", title="Draft email to Maria")
    api.post(f"/api/tasks/{task.pk}/start")
    assert api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(task.pk)}).status_code == 200
    assert _complete(api, task)["warnings"] == []
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consult_skipped").exists()


def test_completing_without_consulting_warns_and_logs(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    task = tenant_a.make("tasks.task", title="Draft email to Maria")
    api.post(f"/api/tasks/{task.pk}/start")
    warnings = _complete(api, task)["warnings"]
    assert [(w["code"], w["playbook_id"]) for w in warnings] == [("must_consult_skipped", str(guide.pk))]
    with tenant_a.schema():
        skipped = Log.objects.get(action="playbook.consult_skipped")
    assert skipped.entity_id == guide.pk and skipped.details["task_id"] == str(task.pk)


def test_consulting_for_another_task_or_without_a_task_does_not_count(tenant_a, api):
    guide = tenant_a.make("playbooks.email_guide")
    task = tenant_a.make("tasks.task", title="Draft email to Maria")
    other = tenant_a.make("tasks.task", title="Draft email to Patrick")
    api.get(f"/api/playbooks/{guide.pk}")
    api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(other.pk)})
    api.post(f"/api/tasks/{task.pk}/start")
    assert [w["playbook_id"] for w in _complete(api, task)["warnings"]] == [str(guide.pk)]
    assert _reload(tenant_a, guide).use_count == 2


# --- creating, editing and the proposal workflow --------------------------------------------------
# proposed → approved (active, matched) or rejected (with a reason, kept); active → archived (no
# longer matched). Every illegal move is a 409 that says the current status and what to do; every
# change writes the audit Log and its event.

PROPOSAL = {
    "name": "weekly-wins-note",
    "description": "How to write the Friday wins note for the team.",
    "content": "# Weekly wins note\n\nThree bullets; name the person who did the work.\n",
    "learned_from": "Claude noticed the pattern in three weeks of notes",
    "triggers": ["wins note"],
}


# --- the whole workflow -------------------------------------------------------------------------

def test_proposal_is_not_matched_until_approved_then_is(tenant_a, api, owner_api):
    response = api.post("/api/playbooks/propose", PROPOSAL, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"playbook"}  # the seed's { playbook (status=proposed) }
    proposal = body["playbook"]
    assert proposal["status"] == "proposed" and proposal["learned_from"] == PROPOSAL["learned_from"]
    assert proposal["content"] == PROPOSAL["content"]  # not trimmed: markdown keeps its last newline

    assert _matched_ids(api, "Write the wins note for Friday") == []
    approved = owner_api.put(f"/api/playbooks/{proposal['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    assert _matched_ids(api, "Write the wins note for Friday") == [proposal["id"]]

    archived = api.put(f"/api/playbooks/{proposal['id']}/archive")
    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert _matched_ids(api, "Write the wins note for Friday") == []

    assert [log.action for log in _logs(tenant_a, proposal["id"])] == [
        "playbook.proposed", "playbook.approved", "playbook.archived"]


def test_each_state_change_writes_its_log_and_publishes_its_event_on_commit(tenant_a, api, sent,
                                                                            django_capture_on_commit_callbacks, owner_api):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = owner_api.post("/api/playbooks", {**PROPOSAL, "name": "created"}, format="json").json()
        owner_api.put(f"/api/playbooks/{created['id']}", {"description": "Changed."}, format="json")
        proposed = api.post("/api/playbooks/propose", PROPOSAL, format="json").json()["playbook"]
        owner_api.put(f"/api/playbooks/{proposed['id']}/reject", {"reason": "We stopped the wins note."}, format="json")
        other = api.post("/api/playbooks/propose", {**PROPOSAL, "name": "other"}, format="json").json()["playbook"]
        owner_api.put(f"/api/playbooks/{other['id']}/approve")
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
    assert update.actor == "user"  # an owner key's writes are the owner's
    rejection = _logs(tenant_a, proposed["id"])[1]
    assert rejection.details == {"name": "weekly-wins-note", "from": "proposed", "to": "rejected",
                                 "reason": "We stopped the wins note."}


# --- POST /api/playbooks ------------------------------------------------------------------------

def test_create_is_active_at_once_and_matched(tenant_a, api, owner_api):
    response = owner_api.post("/api/playbooks", {
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


def test_create_as_proposed_is_a_proposal(tenant_a, owner_api):
    response = owner_api.post("/api/playbooks", {**PROPOSAL, "status": "proposed"}, format="json")
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
def test_create_refuses_bad_input_naming_the_field(tenant_a, body, field, owner_api):
    response = owner_api.post("/api/playbooks", body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{field}:"), error
    with tenant_a.schema():
        assert not Playbook.objects.exists() and not Log.objects.filter(entity_type="playbook").exists()


# --- POST /api/playbooks/propose ----------------------------------------------------------------

def test_propose_links_the_source_task(tenant_a, api):
    task = tenant_a.make("tasks.task", title="Write the wins note")
    response = api.post("/api/playbooks/propose", {**PROPOSAL, "source_task_id": str(task.pk)}, format="json",
                        HTTP_X_SESSION_ID="loop-3")
    assert response.status_code == 201
    playbook = response.json()["playbook"]
    assert playbook["source_task_id"] == str(task.pk)
    log = _logs(tenant_a, playbook["id"])[0]
    assert log.action == "playbook.proposed" and log.actor == "claude" and log.session_id == "loop-3"
    assert log.details["source_task_id"] == str(task.pk) and log.details["learned_from"] == PROPOSAL["learned_from"]


def test_propose_with_another_workspaces_or_an_unknown_task_is_400_naming_the_field(tenant_a, tenant_b, api):
    foreign = tenant_b.make("tasks.task", title="B's task")
    for task_id in (foreign.pk, uuid.uuid4()):
        response = api.post("/api/playbooks/propose", {**PROPOSAL, "source_task_id": str(task_id)}, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["message"] == f"source_task_id: no such task in this workspace: {task_id}"
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
def test_update_changes_only_the_fields_sent(tenant_a, owner_api, method):
    playbook = tenant_a.make("playbooks.playbook", name="scheduling", triggers=["schedule"], must_consult=True,
                             category="scheduling")
    response = getattr(owner_api, method)(f"/api/playbooks/{playbook.pk}",  # an active one: the owner's to change
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
    playbook = tenant_a.make("playbooks.playbook", status="proposed")
    response = api.put(f"/api/playbooks/{playbook.pk}", {"description": "Better."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "proposed"


def test_update_refuses_status_and_says_how_to_move_it(tenant_a, api):
    playbook = tenant_a.make("playbooks.playbook", status="proposed")
    response = api.put(f"/api/playbooks/{playbook.pk}", {"status": "active"}, format="json")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message.startswith("status:") and "/approve" in message
    assert _reload(tenant_a, playbook.pk).status == "proposed"


def test_update_links_and_unlinks_a_source_task(tenant_a, owner_api):
    playbook = tenant_a.make("playbooks.playbook")
    task = tenant_a.make("tasks.task", title="Source")
    linked = owner_api.patch(f"/api/playbooks/{playbook.pk}", {"source_task_id": str(task.pk)}, format="json")
    assert linked.json()["source_task_id"] == str(task.pk)
    unlinked = owner_api.patch(f"/api/playbooks/{playbook.pk}", {"source_task_id": None}, format="json")
    assert unlinked.json()["source_task_id"] is None


def test_update_with_bad_input_is_400_and_changes_nothing(tenant_a, api):
    playbook = tenant_a.make("playbooks.playbook", name="kept")
    for body, field in [({"name": ""}, "name"), ({"content": "   "}, "content"),
                        ({"source_task_id": str(uuid.uuid4())}, "source_task_id")]:
        response = api.put(f"/api/playbooks/{playbook.pk}", body, format="json")
        assert response.status_code == 400 and response.json()["error"]["message"].startswith(f"{field}:")
    assert _reload(tenant_a, playbook.pk).name == "kept"
    assert not [log for log in _logs(tenant_a, playbook.pk) if log.action == "playbook.updated"]


@pytest.mark.parametrize("status", ["rejected", "archived"])
def test_rejected_and_archived_playbooks_are_not_edited(tenant_a, api, status):
    playbook = tenant_a.make("playbooks.playbook", status=status, rejected_reason="No." if status == "rejected" else None)
    response = api.put(f"/api/playbooks/{playbook.pk}", {"content": "New"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and f"it is {status}" in error["message"]
    assert "POST /api/playbooks" in error["message"]  # what to do instead
    assert error["details"] == {"playbook_id": str(playbook.pk), "status": status,
                                "allowed_from": ["active", "proposed"]}
    assert _reload(tenant_a, playbook.pk).content != "New"


# --- approve / reject / archive: every illegal move is a 409 ------------------------------------

def test_reject_keeps_the_proposal_with_its_reason(tenant_a, api, owner_api):
    playbook = tenant_a.make("playbooks.playbook", status="proposed", triggers=["wins note"])
    response = owner_api.put(f"/api/playbooks/{playbook.pk}/reject", {"reason": "We stopped doing that note."},
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
def test_reject_requires_a_reason(tenant_a, body, owner_api):
    playbook = tenant_a.make("playbooks.playbook", status="proposed")
    response = owner_api.put(f"/api/playbooks/{playbook.pk}/reject", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("reason:")
    assert _reload(tenant_a, playbook.pk).status == "proposed"
    assert not _logs(tenant_a, playbook.pk)


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
def test_every_illegal_move_is_409_with_the_status_and_what_to_do(tenant_a, owner_api, verb, status, hint):
    playbook = tenant_a.make("playbooks.playbook", status=status, rejected_reason="Not needed." if status == "rejected" else None)
    response = owner_api.put(f"/api/playbooks/{playbook.pk}/{verb}", {"reason": "Because."}, format="json")
    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["message"].startswith(f"Cannot {verb} playbook '{playbook.name}': it is {status}.")
    assert hint in error["message"]
    assert error["details"]["status"] == status and error["details"]["playbook_id"] == str(playbook.pk)
    assert _reload(tenant_a, playbook.pk).status == status
    assert not _logs(tenant_a, playbook.pk)


def test_archive_with_a_placeholder_hint_names_the_playbook(tenant_a, api):
    playbook = tenant_a.make("playbooks.playbook", status="proposed")
    message = api.put(f"/api/playbooks/{playbook.pk}/archive").json()["error"]["message"]
    assert f"PUT /api/playbooks/{playbook.pk}/reject" in message


@pytest.mark.parametrize("verb", ["approve", "reject", "archive", "export"])
def test_unknown_or_foreign_ids_are_404(tenant_a, tenant_b, api, verb):
    foreign = tenant_b.make("playbooks.playbook", status="proposed")
    method = api.get if verb == "export" else api.put
    for playbook_id in (foreign.pk, uuid.uuid4()):
        response = method(f"/api/playbooks/{playbook_id}/{verb}", {"reason": "x"}, format="json")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert _reload(tenant_b, foreign.pk).status == "proposed"


def test_update_of_a_foreign_playbook_is_404_and_changes_nothing(tenant_a, tenant_b, api):
    foreign = tenant_b.make("playbooks.playbook", name="B's")
    response = api.put(f"/api/playbooks/{foreign.pk}", {"name": "taken over"}, format="json")
    assert response.status_code == 404
    assert _reload(tenant_b, foreign.pk).name == "B's"


def test_approving_an_archived_must_consult_playbook_does_not_bring_back_its_warning(tenant_a, api, owner_api):
    playbook = tenant_a.make("playbooks.playbook", status="archived", must_consult=True, category="communication",
                             triggers=["email to"])
    assert owner_api.put(f"/api/playbooks/{playbook.pk}/approve").status_code == 409
    assert api.get(MATCH, {"task_description": "Draft email to Maria"}).json() == {"matched": [], "must_consult": []}


def test_lifecycle_endpoints_need_a_key(tenant_a):
    from rest_framework.test import APIClient

    playbook = tenant_a.make("playbooks.playbook", status="proposed")
    client = APIClient()
    for method, path in [("post", "/api/playbooks"), ("post", "/api/playbooks/propose"),
                         ("put", f"/api/playbooks/{playbook.pk}/approve"), ("post", "/api/playbooks/import")]:
        response = getattr(client, method)(path, {}, format="json", HTTP_HOST=tenant_a.host)
        assert response.status_code == 401, path
    assert _reload(tenant_a, playbook.pk).status == "proposed"
