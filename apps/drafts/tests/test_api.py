"""Drafts API (seed "Drafts" endpoints): principle 2 (draft but never send), principle 4 (relationship-
aware), must-consult warnings, the review workflow and every illegal move, the revision chain, and
editing a pending draft in place."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.activity.models import Log
from apps.drafts.models import Draft
from apps.knowledge.models import Knowledge

# A task the seed's email-drafting-guide triggers on ("follow up with"); `patrick` is the shared fixture.
FOLLOW_UP = "Draft follow-up email to Patrick at Liberty"


def _create(world, **body):
    body = {"type": "email", "subject": "Pilot next steps", "body": "Hi Patrick, ...", **body}
    return world.api().post("/api/drafts", body, format="json")


def _created(world, **body) -> dict:
    response = _create(world, **body)
    assert response.status_code == 201, response.json()
    return response.json()


def _actions(world, entity_id) -> list[str]:
    with world.schema():
        return list(Log.objects.filter(entity_id=entity_id).order_by("timestamp").values_list("action", flat=True))


# --- creating: the relationship snapshot (principle 4) ----------------------------------------

def test_relationship_aware_draft_snapshots_the_person_and_their_client(tenant_a, patrick):
    body = _created(tenant_a, person_id=str(patrick.pk))
    draft = body["draft"]
    assert draft["status"] == "pending" and draft["person_id"] == str(patrick.pk)
    assert draft["recipient"] == "patrick@liberty.example"  # filled in from the person for an email
    context = draft["relationship_context"]
    assert context["resolved_by"] == "person_id"
    assert {k: context["person"][k] for k in ("name", "relationship", "relationship_to_user", "political_context",
                                              "communication_notes")} == {
        "name": "Patrick Fields", "relationship": "client", "relationship_to_user": "Main contact at Liberty Hotel",
        "political_context": "Reports to GM. Close to decision-maker.",
        "communication_notes": "Prefers brief, direct emails. Responds quickly."}
    assert context["client"]["name"] == "Liberty Hotel" and context["client"]["id"] == str(patrick.client_id)
    assert body["warnings"] == []
    assert _actions(tenant_a, draft["id"]) == ["draft.created"]
    with tenant_a.schema():
        log = Log.objects.get(entity_id=draft["id"])
        assert log.details["person_id"] == str(patrick.pk) and log.actor == "claude"


def test_snapshot_is_kept_when_the_person_changes_later(tenant_a, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    with tenant_a.schema():
        patrick.political_context = "Left the company"
        patrick.save()
    got = tenant_a.api().get(f"/api/drafts/{draft['id']}").json()
    assert got["relationship_context"]["person"]["political_context"] == "Reports to GM. Close to decision-maker."


@pytest.mark.parametrize(("recipient", "resolved_by"), [
    ("Patrick Fields <PATRICK@liberty.example>", "recipient_email"),
    ("patrick@liberty.example", "recipient_email"),
    ("patrick fields", "recipient_name"),
])
def test_recipient_text_finds_the_person(tenant_a, patrick, recipient, resolved_by):
    draft = _created(tenant_a, recipient=recipient)["draft"]
    assert draft["person_id"] == str(patrick.pk)
    assert draft["relationship_context"]["resolved_by"] == resolved_by
    assert draft["recipient"] == recipient


def test_task_recipient_is_used_and_the_others_involved_are_listed(tenant_a, patrick):
    task = tenant_a.make("tasks.task", title="Thank the Liberty team for the pilot")
    gm = tenant_a.make("people.patrick", name="Grace Moss", email="grace@liberty.example",
                       relationship_to_user="GM, the decision-maker", political_context="Patrick's boss")
    tenant_a.make("tasks.task_person", task=task, person=patrick, role="recipient")
    tenant_a.make("tasks.task_person", task=task, person=gm, role="stakeholder")
    context = _created(tenant_a, task_id=str(task.pk), recipient="Patrick")["draft"]["relationship_context"]
    assert context["resolved_by"] == "task_recipient" and context["person"]["id"] == str(patrick.pk)
    assert context["others_involved"] == [{"id": str(gm.pk), "name": "Grace Moss", "role": "stakeholder",
                                           "relationship_to_user": "GM, the decision-maker",
                                           "political_context": "Patrick's boss"}]


def test_unknown_recipient_is_drafted_with_a_warning(tenant_a, patrick):
    body = _created(tenant_a, recipient="someone@else.example")
    assert body["draft"]["person_id"] is None and body["draft"]["relationship_context"]["person"] is None
    assert [w["code"] for w in body["warnings"]] == ["recipient_unknown"]
    with tenant_a.schema():
        assert Log.objects.get(entity_id=body["draft"]["id"]).details["warnings"] == ["recipient_unknown"]


def test_ambiguous_recipient_is_not_guessed(tenant_a, patrick):
    other = tenant_a.make("people.patrick", email="fields@elsewhere.example")
    body = _created(tenant_a, recipient="Patrick Fields")
    context = body["draft"]["relationship_context"]
    assert context["person"] is None
    assert {c["id"] for c in context["candidates"]} == {str(patrick.pk), str(other.pk)}
    assert [w["code"] for w in body["warnings"]] == ["recipient_ambiguous"]


# --- must-consult communication playbooks (principle 6) ---------------------------------------

def test_must_consult_playbook_not_consulted_warns_and_is_logged(tenant_a, patrick):
    task = tenant_a.make("tasks.task", title=FOLLOW_UP)
    guide = tenant_a.make("playbooks.email_guide")
    body = _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))
    warning, = body["warnings"]
    assert warning["code"] == "must_consult_skipped" and warning["playbook_id"] == str(guide.pk)
    assert f"/api/playbooks/{guide.pk}?task_id={task.pk}" in warning["warning"]
    with tenant_a.schema():
        log = Log.objects.get(action="playbook.consult_skipped", entity_id=guide.pk)
        assert log.details == {"task_id": str(task.pk), "draft_id": body["draft"]["id"], "name": guide.name}


def test_must_consult_warning_absent_after_consulting(tenant_a, patrick):
    task = tenant_a.make("tasks.task", title=FOLLOW_UP)
    guide = tenant_a.make("playbooks.email_guide")
    served = tenant_a.api().get(f"/api/playbooks/{guide.pk}", {"task_id": str(task.pk)})
    assert served.status_code == 200, served.content
    body = _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))
    assert body["warnings"] == []
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consult_skipped").exists()


def test_consulting_for_another_task_does_not_count(tenant_a, patrick):
    task, other = tenant_a.make("tasks.task", title=FOLLOW_UP), tenant_a.make("tasks.task", title="Draft email to Grace")
    guide = tenant_a.make("playbooks.email_guide")
    tenant_a.api().get(f"/api/playbooks/{guide.pk}", {"task_id": str(other.pk)})
    body = _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))
    assert [w["code"] for w in body["warnings"]] == ["must_consult_skipped"]


def test_only_communication_playbooks_are_required_for_drafts(tenant_a, patrick):
    task = tenant_a.make("tasks.task", title="Draft email to Patrick to schedule the kickoff meeting")
    tenant_a.make("playbooks.email_guide", name="scheduling-guide", category="scheduling", triggers=["schedule"])
    assert _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))["warnings"] == []


# --- approve: nothing is ever sent (principle 2) ----------------------------------------------

def test_draft_but_never_send_approve_answers_how_to_send(tenant_a, patrick, mailoutbox):
    draft = _created(tenant_a, person_id=str(patrick.pk), subject="Pilot next steps", body="Hi Patrick & team")["draft"]
    response = tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/approve")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["draft"]["status"] == "approved" and body["draft"]["approved_at"]
    assert body["draft"]["sent_at"] is None
    action = body["send_action"]
    assert action["method"] == "manual" and action["sent_by_expertly"] is False and action["channel"] == "email"
    assert (action["to"], action["subject"], action["body"]) == ("patrick@liberty.example", "Pilot next steps",
                                                                 "Hi Patrick & team")
    assert "copy this into your mail client" in action["instruction"].lower()
    assert "Expertly never sends" in action["instruction"]
    assert action["mailto"] == "mailto:patrick@liberty.example?subject=Pilot%20next%20steps&body=Hi%20Patrick%20%26%20team"
    assert mailoutbox == []
    with tenant_a.schema():
        stored = Draft.objects.get(pk=draft["id"])
        assert stored.status == "approved" and stored.sent_at is None
        assert not Log.objects.filter(action__in=["draft.sent", "email.sent"]).exists()
    assert _actions(tenant_a, draft["id"]) == ["draft.created", "draft.approved"]


@pytest.mark.parametrize(("type", "says"), [("slack", "Paste this into Slack to #liberty"),
                                             ("document", "share it yourself"), ("note", "Keep this note")])
def test_send_action_for_each_type(tenant_a, type, says):
    draft = _created(tenant_a, type=type, recipient="#liberty")["draft"]
    action = tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/approve").json()["send_action"]
    assert says in action["instruction"] and "Expertly never sends" in action["instruction"]
    assert action["channel"] == type and "mailto" not in action


# --- reject: feedback is required and becomes knowledge ---------------------------------------

@pytest.mark.parametrize("payload", [{}, {"feedback": ""}, {"feedback": None}])
def test_reject_requires_feedback(tenant_a, payload):
    draft = _created(tenant_a)["draft"]
    response = tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/reject", payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("feedback:")
    assert "feedback" in error["details"]
    with tenant_a.schema():
        assert Draft.objects.get(pk=draft["id"]).status == "pending"


def test_reject_feedback_becomes_knowledge_about_the_recipient(tenant_a, patrick):
    task = tenant_a.make("tasks.task", title="Write to Patrick")
    draft = _created(tenant_a, person_id=str(patrick.pk), task_id=str(task.pk))["draft"]
    response = tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/reject",
                                   {"feedback": "Too long; Patrick reads on his phone."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["draft"]["status"] == "rejected" and body["draft"]["feedback"] == "Too long; Patrick reads on his phone."
    with tenant_a.schema():
        knowledge = Knowledge.objects.get(pk=body["knowledge"]["id"])
        assert knowledge.category == "person" and knowledge.source_task_id == task.pk
        assert "Patrick Fields" in knowledge.content and "Too long; Patrick reads on his phone." in knowledge.content
        log = Log.objects.get(action="draft.rejected")
        assert log.details["feedback"] == "Too long; Patrick reads on his phone."
        assert Log.objects.filter(action="knowledge.captured", entity_id=knowledge.pk).exists()
    assert body["knowledge"]["category"] == "person"
    # offered for the recipient: the knowledge service routes it to Patrick himself
    assert body["knowledge"]["routed_to"]["type"] == "person" and body["knowledge"]["routed_to"]["id"] == str(patrick.pk)
    assert _actions(tenant_a, draft["id"]) == ["draft.created", "draft.rejected"]


def test_revision_is_written_with_what_the_rejection_taught(tenant_a, patrick, owner_api):
    api = tenant_a.api()
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    owner_api.post(f"/api/drafts/{draft['id']}/reject", {"feedback": "Patrick hates long emails."}, format="json")
    new = api.post(f"/api/drafts/{draft['id']}/revise", {"body": "Short."}, format="json").json()["new_draft"]
    person = new["relationship_context"]["person"]
    learned = f"{person['communication_notes']} {person['context_notes']}"
    assert "Patrick hates long emails." in learned
    assert "Patrick hates long emails." not in str(draft["relationship_context"])


def test_reject_feedback_without_a_recipient_is_about_drafting(tenant_a):
    draft = _created(tenant_a, type="note", recipient=None)["draft"]
    body = tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/reject", {"feedback": "Use bullet points."},
                               format="json").json()
    assert body["knowledge"]["category"] == "playbook" and "Use bullet points." in body["knowledge"]["content"]


# --- revise and the revision chain ------------------------------------------------------------

def test_revise_creates_a_linked_draft_and_the_original_becomes_revised(tenant_a, patrick):
    original = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    response = tenant_a.api().post(f"/api/drafts/{original['id']}/revise", {"body": "Shorter."}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    new = body["new_draft"]
    assert new["revision_of"] == original["id"] and new["status"] == "pending" and new["body"] == "Shorter."
    assert new["subject"] == original["subject"] and new["recipient"] == original["recipient"]
    assert new["person_id"] == str(patrick.pk) and new["relationship_context"]["resolved_by"] == "revision_of"
    assert body["original"]["status"] == "revised"
    assert _actions(tenant_a, original["id"]) == ["draft.created", "draft.revised"]
    assert _actions(tenant_a, new["id"]) == ["draft.created"]
    with tenant_a.schema():
        assert Log.objects.get(action="draft.revised").details["new_draft_id"] == new["id"]


def test_revision_chain_of_three_is_returned_whole_oldest_first(tenant_a, patrick, owner_api):
    api = tenant_a.api()
    first = _created(tenant_a, person_id=str(patrick.pk), body="v1")["draft"]
    owner_api.post(f"/api/drafts/{first['id']}/reject", {"feedback": "Warmer opening"}, format="json")
    second = api.post(f"/api/drafts/{first['id']}/revise", {"body": "v2"}, format="json").json()["new_draft"]
    owner_api.post(f"/api/drafts/{second['id']}/reject", {"feedback": "Mention Grace"}, format="json")
    third = api.post(f"/api/drafts/{second['id']}/revise", {"body": "v3", "subject": "Thanks"},
                     format="json").json()["new_draft"]
    for draft in (first, second, third):
        got = api.get(f"/api/drafts/{draft['id']}").json()
        assert got["id"] == draft["id"]
        chain = got["revision_chain"]
        assert [v["id"] for v in chain] == [first["id"], second["id"], third["id"]]
        assert [v["body"] for v in chain] == ["v1", "v2", "v3"]
        assert [v["status"] for v in chain] == ["revised", "revised", "pending"]
        assert [v["feedback"] for v in chain] == ["Warmer opening", "Mention Grace", None]
        assert [v["revision_of"] for v in chain] == [None, first["id"], second["id"]]
    assert api.get(f"/api/drafts/{third['id']}").json()["subject"] == "Thanks"


def _chain(world, length: int) -> Draft:
    draft = world.make("drafts.email", status="revised")
    for i in range(length - 1):
        draft = world.make("drafts.email", revision_of=draft, status="revised" if i < length - 2 else "pending")
    return draft


def test_revision_chain_is_read_in_a_constant_number_of_queries(tenant_a):
    counts = {}
    for length in (2, 10):
        middle = _chain(tenant_a, length)
        api = tenant_a.api()
        api.get("/api/health")  # the key's last-use note is written at most once a minute: get it out of the way
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/drafts/{middle.pk}")
        assert response.status_code == 200
        assert len(response.json()["revision_chain"]) == length
        counts[length] = len(queries)
    assert counts[2] == counts[10], counts
    assert counts[2] <= 10, counts


# --- illegal moves: 409 with the state and what to do -----------------------------------------

ALLOWED = {("pending", "approve"), ("pending", "reject"), ("pending", "revise"), ("rejected", "revise")}
STATES = ("pending", "approved", "rejected", "revised", "sent")
ACTIONS = ("approve", "reject", "revise")
ILLEGAL = [(state, action) for state in STATES for action in ACTIONS if (state, action) not in ALLOWED]
PAYLOAD = {"approve": {}, "reject": {"feedback": "No."}, "revise": {"body": "Again."}}
SUCCESS = {"approve": 200, "reject": 200, "revise": 201}  # a revision is a new draft


def _deciding(world, action: str):
    """The client that may take `action`: approving and rejecting are the owner's, revising Claude's."""
    return world.owner_api() if action in ("approve", "reject") else world.api()


def _in_state(world, state: str) -> Draft:
    """A draft in `state`, got there through the API where the API can (approved, rejected, revised)."""
    draft = _created(world)["draft"]
    if state == "sent":  # only the owner sends, outside Expertly; the row is as his client would leave it
        with world.schema():
            from django.utils import timezone

            Draft.objects.filter(pk=draft["id"]).update(status="sent", approved_at=timezone.now(),
                                                        sent_at=timezone.now())
    elif state != "pending":
        action = {"approved": "approve", "rejected": "reject", "revised": "revise"}[state]
        assert _deciding(world, action).post(f"/api/drafts/{draft['id']}/{action}", PAYLOAD[action],
                                             format="json").status_code == SUCCESS[action]
    with world.schema():
        return Draft.objects.get(pk=draft["id"])


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{a}-{s}" for s, a in ILLEGAL])
def test_every_illegal_move_is_a_409_with_the_state_and_the_way_out(tenant_a, state, action):
    draft = _in_state(tenant_a, state)
    with tenant_a.schema():
        before = (Draft.objects.count(), Log.objects.count(), Knowledge.objects.count())
    response = _deciding(tenant_a, action).post(f"/api/drafts/{draft.pk}/{action}", PAYLOAD[action], format="json")
    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["message"].startswith(f"Cannot {action} this draft: it is {state}.")
    assert error["details"]["status"] == state and error["details"]["action"] == action
    expected_hint = {"approved": "approved", "rejected": "revise", "revised": "latest version", "sent": "final"}[state]
    assert expected_hint in error["message"].split(f"it is {state}.", 1)[1]
    if state == "revised":
        with tenant_a.schema():
            latest = Draft.objects.get(revision_of=draft)
        assert error["details"]["latest_revision_id"] == str(latest.pk)
        assert f"/api/drafts/{latest.pk}/{action}" in error["message"]
    with tenant_a.schema():
        assert (Draft.objects.count(), Log.objects.count(), Knowledge.objects.count()) == before
        assert Draft.objects.get(pk=draft.pk).status == state


def test_the_legal_moves_are_exactly_the_allowed_ones(tenant_a):
    for state, action in sorted(ALLOWED):
        draft = _in_state(tenant_a, state)
        response = _deciding(tenant_a, action).post(f"/api/drafts/{draft.pk}/{action}", PAYLOAD[action], format="json")
        assert response.status_code == SUCCESS[action], (state, action, response.json())


# --- listing ----------------------------------------------------------------------------------

def test_list_filters_and_paginates(tenant_a, patrick, owner_api):
    task = tenant_a.make("tasks.task", title="Write to Patrick")
    to_patrick = _created(tenant_a, person_id=str(patrick.pk), task_id=str(task.pk))["draft"]
    note = _created(tenant_a, type="note", recipient=None)["draft"]
    approved = _created(tenant_a, type="slack", recipient="#general")["draft"]
    api = tenant_a.api()
    owner_api.post(f"/api/drafts/{approved['id']}/approve")

    def ids(**query):
        response = api.get("/api/drafts", query)
        assert response.status_code == 200, response.json()
        return [d["id"] for d in response.json()["results"]]

    assert ids() == [approved["id"], note["id"], to_patrick["id"]]  # newest first
    assert ids(status="pending") == [note["id"], to_patrick["id"]]
    assert ids(status="approved,rejected") == [approved["id"]]
    assert ids(type="note") == [note["id"]]
    assert ids(task_id=str(task.pk)) == [to_patrick["id"]]
    assert ids(person_id=str(patrick.pk)) == [to_patrick["id"]]
    assert ids(person_id=str(uuid.uuid4())) == []
    page = api.get("/api/drafts", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and [d["id"] for d in page["results"]] == [note["id"]]


@pytest.mark.parametrize("query", [{"status": "lost"}, {"type": "fax"}, {"task_id": "nope"}, {"person_id": "x"}])
def test_list_refuses_bad_filters(tenant_a, query):
    response = tenant_a.api().get("/api/drafts", query)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{next(iter(query))}:")


# --- 400 / 404 --------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"type": "email"}, "body"),
    ({"body": "Hi"}, "type"),
    ({"type": "fax", "body": "Hi"}, "type"),
    ({"type": "email", "body": "   "}, "body"),
    ({"type": "email", "body": "Hi", "task_id": "not-a-uuid"}, "task_id"),
])
def test_create_refuses_bad_input_naming_the_field(tenant_a, body, field):
    response = tenant_a.api().post("/api/drafts", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{field}:")
    with tenant_a.schema():
        assert not Draft.objects.exists()


@pytest.mark.parametrize("field", ["task_id", "person_id"])
def test_create_refuses_ids_of_another_workspace(tenant_a, tenant_b, field):
    foreign = tenant_b.make("tasks.task", title="B's") if field == "task_id" else tenant_b.make("people.patrick")
    response = _create(tenant_a, **{field: str(foreign.pk)})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"{field}: no such {field[:-3]} in this workspace: {foreign.pk}"
    with tenant_a.schema():
        assert not Draft.objects.exists() and not Log.objects.filter(action="draft.created").exists()


def test_revise_requires_a_body(tenant_a):
    draft = _created(tenant_a)["draft"]
    response = tenant_a.api().post(f"/api/drafts/{draft['id']}/revise", {"subject": "x"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("body:")


@pytest.mark.parametrize(("method", "suffix", "payload"), [
    ("get", "", None), ("post", "/approve", {}), ("post", "/reject", {"feedback": "x"}),
    ("post", "/revise", {"body": "x"}),
])
def test_unknown_draft_is_a_404(tenant_a, method, suffix, payload):
    response = getattr(tenant_a.api(), method)(f"/api/drafts/{uuid.uuid4()}{suffix}", payload, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_another_workspace_never_sees_or_touches_these_drafts(tenant_a, tenant_b, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk), body="zebracorn")["draft"]
    other = tenant_b.api()
    listed = other.get("/api/drafts", {"person_id": str(patrick.pk)})
    assert listed.status_code == 200 and listed.json()["count"] == 0 and "zebracorn" not in listed.content.decode()
    assert other.get("/api/drafts").json()["count"] == 0
    for suffix, payload in (("", None), ("/approve", {}), ("/reject", {"feedback": "x"}), ("/revise", {"body": "x"})):
        method = other.get if not suffix else other.post
        assert method(f"/api/drafts/{draft['id']}{suffix}", payload, format="json").status_code == 404
    with tenant_a.schema():
        assert Draft.objects.get(pk=draft["id"]).status == "pending"


# --- updating (seed "Drafts": "Update draft") ---------------------------------------------------
# PUT/PATCH /api/drafts/{id}: only a pending draft is edited in place; a change of recipient person
# re-snapshots the relationship context (principle 4); a no-op writes and logs nothing; every other
# state is a 409 that says what to do instead.

@pytest.fixture
def grace(tenant_a):
    return tenant_a.make("people.patrick", name="Grace Moss", email="grace@liberty.example",
                         relationship_to_user="GM, the decision-maker", political_context="Patrick's boss",
                         communication_notes="Wants the numbers first.")


def _stored(world, draft_id) -> Draft:
    with world.schema():
        return Draft.objects.get(pk=draft_id)


def _updates(world, draft_id) -> list[Log]:
    with world.schema():
        return list(Log.objects.filter(action="draft.updated", entity_id=draft_id).order_by("timestamp"))


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_pending_draft_is_edited_in_place_and_the_edit_is_logged(tenant_a, patrick, method):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    response = getattr(tenant_a.api(), method)(f"/api/drafts/{draft['id']}",
                                               {"subject": "Pilot: next steps", "body": "Hi Patrick, shorter."},
                                               format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["draft"]["subject"], body["draft"]["body"]) == ("Pilot: next steps", "Hi Patrick, shorter.")
    assert body["draft"]["id"] == draft["id"] and body["draft"]["status"] == "pending" and body["warnings"] == []
    assert body["draft"]["relationship_context"] == draft["relationship_context"]  # same person: snapshot kept
    stored = _stored(tenant_a, draft["id"])
    assert (stored.subject, stored.body) == ("Pilot: next steps", "Hi Patrick, shorter.")
    log, = _updates(tenant_a, draft["id"])
    assert log.actor == "claude" and log.details["fields"] == ["body", "subject"]
    assert log.details["person_id"] == str(patrick.pk)


def test_an_update_that_changes_nothing_writes_and_logs_nothing(tenant_a, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    before = _stored(tenant_a, draft["id"]).updated_at
    for payload in ({}, {"subject": draft["subject"], "body": draft["body"], "type": "email"},
                    {"person_id": str(patrick.pk)}, {"recipient": draft["recipient"]}):
        response = tenant_a.api().put(f"/api/drafts/{draft['id']}", payload, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["draft"]["relationship_context"] == draft["relationship_context"]
    assert _stored(tenant_a, draft["id"]).updated_at == before
    assert _updates(tenant_a, draft["id"]) == []


def test_the_update_publishes_its_event_after_commit(tenant_a, patrick, live_events, django_capture_on_commit_callbacks):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    with live_events(tenant_a) as receive:
        with django_capture_on_commit_callbacks(execute=True):
            tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"body": "Hi Patrick, v2"}, format="json")
        event = receive()
    assert event["type"] == "draft.updated" and event["payload"]["entity_id"] == draft["id"]


def test_a_new_recipient_person_re_snapshots_the_relationship_context(tenant_a, patrick, grace):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    body = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"person_id": str(grace.pk)}, format="json").json()
    updated = body["draft"]
    assert updated["person_id"] == str(grace.pk)
    assert updated["recipient"] == "grace@liberty.example"  # follows the person, as on creation
    context = updated["relationship_context"]
    assert context["resolved_by"] == "person_id" and context["person"]["name"] == "Grace Moss"
    assert context["person"]["communication_notes"] == "Wants the numbers first." and context["client"] is None
    log, = _updates(tenant_a, draft["id"])
    assert log.details["fields"] == ["recipient", "relationship_context"]
    assert log.details["person_id"] == str(grace.pk)


def test_a_recipient_text_naming_someone_else_re_snapshots(tenant_a, patrick, grace):
    draft = _created(tenant_a, recipient="patrick@liberty.example")["draft"]
    assert draft["person_id"] == str(patrick.pk)
    updated = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"recipient": "Grace Moss <grace@liberty.example>"},
                                   format="json").json()["draft"]
    assert updated["person_id"] == str(grace.pk) and updated["recipient"] == "Grace Moss <grace@liberty.example>"
    assert updated["relationship_context"]["resolved_by"] == "recipient_email"
    unknown = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"recipient": "nobody@else.example"}, format="json")
    assert unknown.json()["draft"]["relationship_context"]["person"] is None
    assert [w["code"] for w in unknown.json()["warnings"]] == ["recipient_unknown"]


def test_a_task_whose_recipient_is_known_fills_in_a_draft_without_one(tenant_a, patrick):
    draft = _created(tenant_a, type="note", subject=None, body="Thanks for the pilot")["draft"]
    assert draft["person_id"] is None and draft["recipient"] is None
    task = tenant_a.make("tasks.task", title="Thank Patrick for the pilot")
    tenant_a.make("tasks.task_person", task=task, person=patrick, role="recipient")
    updated = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"task_id": str(task.pk)}, format="json").json()
    assert updated["draft"]["person_id"] == str(patrick.pk) and updated["draft"]["recipient"] == "Patrick Fields"
    assert updated["draft"]["relationship_context"]["resolved_by"] == "task_recipient"


def test_editing_the_text_keeps_the_snapshot_even_when_the_person_changed_since(tenant_a, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    with tenant_a.schema():
        patrick.political_context = "Left the company"
        patrick.save()
    updated = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"body": "v2"}, format="json").json()["draft"]
    assert updated["relationship_context"]["person"]["political_context"] == "Reports to GM. Close to decision-maker."


def test_moving_a_draft_to_a_task_checks_its_must_consult_playbooks(tenant_a, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    task = tenant_a.make("tasks.task", title=FOLLOW_UP)
    guide = tenant_a.make("playbooks.email_guide")
    body = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"task_id": str(task.pk)}, format="json").json()
    assert body["draft"]["task_id"] == str(task.pk)
    assert [(w["code"], w["playbook_id"]) for w in body["warnings"]] == [("must_consult_skipped", str(guide.pk))]
    assert _updates(tenant_a, draft["id"])[0].details["warnings"] == ["must_consult_skipped"]


# --- what cannot be edited --------------------------------------------------------------------

def test_a_rejected_draft_is_revised_not_edited(tenant_a):
    draft = _created(tenant_a)["draft"]
    tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/reject", {"feedback": "Too long."}, format="json")
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"body": "shorter"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and error["details"]["status"] == "rejected"
    assert f"POST /api/drafts/{draft['id']}/revise" in error["message"] and "Too long." in error["message"]
    assert _stored(tenant_a, draft["id"]).body == "Hi Patrick, ..." and _updates(tenant_a, draft["id"]) == []


def test_an_approved_draft_has_nothing_to_change(tenant_a):
    draft = _created(tenant_a)["draft"]
    tenant_a.owner_api().post(f"/api/drafts/{draft['id']}/approve")
    response = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"subject": "x"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["details"]["status"] == "approved" and "nothing to change" in error["message"]
    assert "POST /api/drafts" in error["message"]
    assert _stored(tenant_a, draft["id"]).subject == "Pilot next steps" and _updates(tenant_a, draft["id"]) == []


def test_a_revised_draft_points_to_the_version_to_edit(tenant_a):
    draft = _created(tenant_a)["draft"]
    new = tenant_a.api().post(f"/api/drafts/{draft['id']}/revise", {"body": "v2"}, format="json").json()["new_draft"]
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"body": "v3"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["details"]["status"] == "revised" and error["details"]["latest_revision_id"] == new["id"]
    assert f"PUT /api/drafts/{new['id']}" in error["message"] and "nothing to change" in error["message"]


@pytest.mark.parametrize(("payload", "field"), [({"body": ""}, "body"), ({"body": "   "}, "body"),
                                                ({"type": "fax"}, "type"), ({"task_id": "nope"}, "task_id")])
def test_bad_input_is_a_400_naming_the_field(tenant_a, payload, field):
    draft = _created(tenant_a)["draft"]
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{field}:")
    assert _stored(tenant_a, draft["id"]).body == "Hi Patrick, ..." and _updates(tenant_a, draft["id"]) == []


def test_ids_of_another_workspace_are_refused(tenant_a, tenant_b):
    draft = _created(tenant_a)["draft"]
    foreign_person = tenant_b.make("people.patrick")
    foreign_draft = tenant_b.make("drafts.email")
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"person_id": str(foreign_person.pk)}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"person_id: no such person in this workspace: {foreign_person.pk}"
    for draft_id in (foreign_draft.pk, uuid.uuid4()):
        assert tenant_a.api().put(f"/api/drafts/{draft_id}", {"body": "x"}, format="json").status_code == 404
    assert tenant_b.api().patch(f"/api/drafts/{draft['id']}", {"body": "x"}, format="json").status_code == 404
    assert _stored(tenant_a, draft["id"]).body == "Hi Patrick, ..."
    with tenant_b.schema():
        assert Draft.objects.get(pk=foreign_draft.pk).body == foreign_draft.body
