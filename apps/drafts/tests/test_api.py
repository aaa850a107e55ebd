"""Drafts API (seed "Drafts" endpoints): principle 2 (draft but never send), principle 4 (relationship-
aware), must-consult warnings, the review workflow and every illegal move, the revision chain."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from apps.activity.models import Log
from apps.drafts.models import Draft
from apps.knowledge.models import Knowledge
from apps.tasks.models import Task, TaskPerson


@pytest.fixture
def patrick(tenant_a):
    with tenant_a.schema():
        liberty = baker.make_recipe("drafts.liberty", user=tenant_a.owner)
        return baker.make_recipe("drafts.patrick", user=tenant_a.owner, client=liberty)


def _task(world, title="Draft follow-up email to Patrick at Liberty", **fields):
    with world.schema():
        return Task.objects.create(user=world.owner, title=title, **fields)


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
    task = _task(tenant_a, "Thank the Liberty team for the pilot")
    with tenant_a.schema():
        gm = baker.make_recipe("drafts.patrick", user=tenant_a.owner, name="Grace Moss", email="grace@liberty.example",
                               relationship_to_user="GM, the decision-maker", political_context="Patrick's boss")
        TaskPerson.objects.create(task=task, person=patrick, role="recipient")
        TaskPerson.objects.create(task=task, person=gm, role="stakeholder")
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
    with tenant_a.schema():
        other = baker.make_recipe("drafts.patrick", user=tenant_a.owner, email="fields@elsewhere.example")
    body = _created(tenant_a, recipient="Patrick Fields")
    context = body["draft"]["relationship_context"]
    assert context["person"] is None
    assert {c["id"] for c in context["candidates"]} == {str(patrick.pk), str(other.pk)}
    assert [w["code"] for w in body["warnings"]] == ["recipient_ambiguous"]


# --- must-consult communication playbooks (principle 6) ---------------------------------------

def test_must_consult_playbook_not_consulted_warns_and_is_logged(tenant_a, patrick):
    task = _task(tenant_a)
    with tenant_a.schema():
        guide = baker.make_recipe("drafts.email_guide", user=tenant_a.owner)
    body = _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))
    warning, = body["warnings"]
    assert warning["code"] == "must_consult_skipped" and warning["playbook_id"] == str(guide.pk)
    assert f"/api/playbooks/{guide.pk}?task_id={task.pk}" in warning["warning"]
    with tenant_a.schema():
        log = Log.objects.get(action="playbook.consult_skipped", entity_id=guide.pk)
        assert log.details == {"task_id": str(task.pk), "draft_id": body["draft"]["id"], "name": guide.name}


def test_must_consult_warning_absent_after_consulting(tenant_a, patrick):
    task = _task(tenant_a)
    with tenant_a.schema():
        guide = baker.make_recipe("drafts.email_guide", user=tenant_a.owner)
    served = tenant_a.api().get(f"/api/playbooks/{guide.pk}", {"task_id": str(task.pk)})
    assert served.status_code == 200, served.content
    body = _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))
    assert body["warnings"] == []
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consult_skipped").exists()


def test_consulting_for_another_task_does_not_count(tenant_a, patrick):
    task, other = _task(tenant_a), _task(tenant_a, "Draft email to Grace")
    with tenant_a.schema():
        guide = baker.make_recipe("drafts.email_guide", user=tenant_a.owner)
    tenant_a.api().get(f"/api/playbooks/{guide.pk}", {"task_id": str(other.pk)})
    body = _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))
    assert [w["code"] for w in body["warnings"]] == ["must_consult_skipped"]


def test_only_communication_playbooks_are_required_for_drafts(tenant_a, patrick):
    task = _task(tenant_a, "Draft email to Patrick to schedule the kickoff meeting")
    with tenant_a.schema():
        baker.make_recipe("drafts.email_guide", user=tenant_a.owner, name="scheduling-guide", category="scheduling",
                          triggers=["schedule"])
    assert _created(tenant_a, task_id=str(task.pk), person_id=str(patrick.pk))["warnings"] == []


# --- approve: nothing is ever sent (principle 2) ----------------------------------------------

def test_draft_but_never_send_approve_answers_how_to_send(tenant_a, patrick, mailoutbox):
    draft = _created(tenant_a, person_id=str(patrick.pk), subject="Pilot next steps", body="Hi Patrick & team")["draft"]
    response = tenant_a.api().post(f"/api/drafts/{draft['id']}/approve")
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
    action = tenant_a.api().post(f"/api/drafts/{draft['id']}/approve").json()["send_action"]
    assert says in action["instruction"] and "Expertly never sends" in action["instruction"]
    assert action["channel"] == type and "mailto" not in action


# --- reject: feedback is required and becomes knowledge ---------------------------------------

@pytest.mark.parametrize("payload", [{}, {"feedback": ""}, {"feedback": None}])
def test_reject_requires_feedback(tenant_a, payload):
    draft = _created(tenant_a)["draft"]
    response = tenant_a.api().post(f"/api/drafts/{draft['id']}/reject", payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("feedback:")
    assert "feedback" in error["details"]
    with tenant_a.schema():
        assert Draft.objects.get(pk=draft["id"]).status == "pending"


def test_reject_feedback_becomes_knowledge_about_the_recipient(tenant_a, patrick):
    task = _task(tenant_a, "Write to Patrick")
    draft = _created(tenant_a, person_id=str(patrick.pk), task_id=str(task.pk))["draft"]
    response = tenant_a.api().post(f"/api/drafts/{draft['id']}/reject",
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


def test_revision_is_written_with_what_the_rejection_taught(tenant_a, patrick):
    api = tenant_a.api()
    draft = _created(tenant_a, person_id=str(patrick.pk))["draft"]
    api.post(f"/api/drafts/{draft['id']}/reject", {"feedback": "Patrick hates long emails."}, format="json")
    new = api.post(f"/api/drafts/{draft['id']}/revise", {"body": "Short."}, format="json").json()["new_draft"]
    person = new["relationship_context"]["person"]
    learned = f"{person['communication_notes']} {person['context_notes']}"
    assert "Patrick hates long emails." in learned
    assert "Patrick hates long emails." not in str(draft["relationship_context"])


def test_reject_feedback_without_a_recipient_is_about_drafting(tenant_a):
    draft = _created(tenant_a, type="note", recipient=None)["draft"]
    body = tenant_a.api().post(f"/api/drafts/{draft['id']}/reject", {"feedback": "Use bullet points."},
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


def test_revision_chain_of_three_is_returned_whole_oldest_first(tenant_a, patrick):
    api = tenant_a.api()
    first = _created(tenant_a, person_id=str(patrick.pk), body="v1")["draft"]
    api.post(f"/api/drafts/{first['id']}/reject", {"feedback": "Warmer opening"}, format="json")
    second = api.post(f"/api/drafts/{first['id']}/revise", {"body": "v2"}, format="json").json()["new_draft"]
    api.post(f"/api/drafts/{second['id']}/reject", {"feedback": "Mention Grace"}, format="json")
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
    with world.schema():
        draft = baker.make_recipe("drafts.email", user=world.owner, status="revised")
        for i in range(length - 1):
            draft = baker.make_recipe("drafts.email", user=world.owner, revision_of=draft,
                                      status="revised" if i < length - 2 else "pending")
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


def _in_state(world, state: str) -> Draft:
    """A draft in `state`, got there through the API where the API can (approved, rejected, revised)."""
    api = world.api()
    draft = _created(world)["draft"]
    if state == "sent":  # only the owner sends, outside Expertly; the row is as his client would leave it
        with world.schema():
            from django.utils import timezone

            Draft.objects.filter(pk=draft["id"]).update(status="sent", approved_at=timezone.now(),
                                                        sent_at=timezone.now())
    elif state != "pending":
        action = {"approved": "approve", "rejected": "reject", "revised": "revise"}[state]
        assert api.post(f"/api/drafts/{draft['id']}/{action}", PAYLOAD[action], format="json").status_code == SUCCESS[action]
    with world.schema():
        return Draft.objects.get(pk=draft["id"])


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{a}-{s}" for s, a in ILLEGAL])
def test_every_illegal_move_is_a_409_with_the_state_and_the_way_out(tenant_a, state, action):
    draft = _in_state(tenant_a, state)
    with tenant_a.schema():
        before = (Draft.objects.count(), Log.objects.count(), Knowledge.objects.count())
    response = tenant_a.api().post(f"/api/drafts/{draft.pk}/{action}", PAYLOAD[action], format="json")
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
        response = tenant_a.api().post(f"/api/drafts/{draft.pk}/{action}", PAYLOAD[action], format="json")
        assert response.status_code == SUCCESS[action], (state, action, response.json())


# --- listing ----------------------------------------------------------------------------------

def test_list_filters_and_paginates(tenant_a, patrick):
    task = _task(tenant_a, "Write to Patrick")
    to_patrick = _created(tenant_a, person_id=str(patrick.pk), task_id=str(task.pk))["draft"]
    note = _created(tenant_a, type="note", recipient=None)["draft"]
    approved = _created(tenant_a, type="slack", recipient="#general")["draft"]
    api = tenant_a.api()
    api.post(f"/api/drafts/{approved['id']}/approve")

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
    with tenant_b.schema():
        foreign = (Task.objects.create(user=tenant_b.owner, title="B's") if field == "task_id"
                   else baker.make_recipe("drafts.patrick", user=tenant_b.owner))
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
