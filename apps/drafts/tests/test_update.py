"""PUT/PATCH /api/drafts/{id} (seed "Drafts": "Update draft"): only a pending draft is edited in
place; a change of recipient person re-snapshots the relationship context (principle 4); a no-op
writes and logs nothing; every other state is a 409 that says what to do instead."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from model_bakery import baker

from apps.activity.events import events_flush, tenant_group
from apps.activity.models import Log
from apps.drafts.models import Draft
from apps.tasks.models import Task, TaskPerson


@pytest.fixture
def patrick(tenant_a):
    with tenant_a.schema():
        liberty = baker.make_recipe("drafts.liberty", user=tenant_a.owner)
        return baker.make_recipe("drafts.patrick", user=tenant_a.owner, client=liberty)


@pytest.fixture
def grace(tenant_a):
    with tenant_a.schema():
        return baker.make_recipe("drafts.patrick", user=tenant_a.owner, name="Grace Moss", email="grace@liberty.example",
                                 relationship_to_user="GM, the decision-maker", political_context="Patrick's boss",
                                 communication_notes="Wants the numbers first.")


def _created(world, **body) -> dict:
    body = {"type": "email", "subject": "Pilot next steps", "body": "Hi Patrick, ...", **body}
    response = world.api().post("/api/drafts", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["draft"]


def _stored(world, draft_id) -> Draft:
    with world.schema():
        return Draft.objects.get(pk=draft_id)


def _updates(world, draft_id) -> list[Log]:
    with world.schema():
        return list(Log.objects.filter(action="draft.updated", entity_id=draft_id).order_by("timestamp"))


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_pending_draft_is_edited_in_place_and_the_edit_is_logged(tenant_a, patrick, method):
    draft = _created(tenant_a, person_id=str(patrick.pk))
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
    draft = _created(tenant_a, person_id=str(patrick.pk))
    before = _stored(tenant_a, draft["id"]).updated_at
    for payload in ({}, {"subject": draft["subject"], "body": draft["body"], "type": "email"},
                    {"person_id": str(patrick.pk)}, {"recipient": draft["recipient"]}):
        response = tenant_a.api().put(f"/api/drafts/{draft['id']}", payload, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["draft"]["relationship_context"] == draft["relationship_context"]
    assert _stored(tenant_a, draft["id"]).updated_at == before
    assert _updates(tenant_a, draft["id"]) == []


def test_the_update_publishes_its_event_after_commit(tenant_a, patrick, django_capture_on_commit_callbacks):
    draft = _created(tenant_a, person_id=str(patrick.pk))
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(tenant_group(tenant_a.tenant.schema_name), channel)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"body": "Hi Patrick, v2"}, format="json")
        events_flush()

        async def receive():
            return await asyncio.wait_for(layer.receive(channel), 2.0)

        event = async_to_sync(receive)()["event"]
    finally:
        async_to_sync(layer.group_discard)(tenant_group(tenant_a.tenant.schema_name), channel)
    assert event["type"] == "draft.updated" and event["payload"]["entity_id"] == draft["id"]


def test_a_new_recipient_person_re_snapshots_the_relationship_context(tenant_a, patrick, grace):
    draft = _created(tenant_a, person_id=str(patrick.pk))
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
    draft = _created(tenant_a, recipient="patrick@liberty.example")
    assert draft["person_id"] == str(patrick.pk)
    updated = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"recipient": "Grace Moss <grace@liberty.example>"},
                                   format="json").json()["draft"]
    assert updated["person_id"] == str(grace.pk) and updated["recipient"] == "Grace Moss <grace@liberty.example>"
    assert updated["relationship_context"]["resolved_by"] == "recipient_email"
    unknown = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"recipient": "nobody@else.example"}, format="json")
    assert unknown.json()["draft"]["relationship_context"]["person"] is None
    assert [w["code"] for w in unknown.json()["warnings"]] == ["recipient_unknown"]


def test_a_task_whose_recipient_is_known_fills_in_a_draft_without_one(tenant_a, patrick):
    draft = _created(tenant_a, type="note", subject=None, body="Thanks for the pilot")
    assert draft["person_id"] is None and draft["recipient"] is None
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Thank Patrick for the pilot")
        TaskPerson.objects.create(task=task, person=patrick, role="recipient")
    updated = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"task_id": str(task.pk)}, format="json").json()
    assert updated["draft"]["person_id"] == str(patrick.pk) and updated["draft"]["recipient"] == "Patrick Fields"
    assert updated["draft"]["relationship_context"]["resolved_by"] == "task_recipient"


def test_editing_the_text_keeps_the_snapshot_even_when_the_person_changed_since(tenant_a, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk))
    with tenant_a.schema():
        patrick.political_context = "Left the company"
        patrick.save()
    updated = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"body": "v2"}, format="json").json()["draft"]
    assert updated["relationship_context"]["person"]["political_context"] == "Reports to GM. Close to decision-maker."


def test_moving_a_draft_to_a_task_checks_its_must_consult_playbooks(tenant_a, patrick):
    draft = _created(tenant_a, person_id=str(patrick.pk))
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Draft follow-up email to Patrick at Liberty")
        guide = baker.make_recipe("drafts.email_guide", user=tenant_a.owner)
    body = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"task_id": str(task.pk)}, format="json").json()
    assert body["draft"]["task_id"] == str(task.pk)
    assert [(w["code"], w["playbook_id"]) for w in body["warnings"]] == [("must_consult_skipped", str(guide.pk))]
    assert _updates(tenant_a, draft["id"])[0].details["warnings"] == ["must_consult_skipped"]


# --- what cannot be edited --------------------------------------------------------------------

def test_a_rejected_draft_is_revised_not_edited(tenant_a):
    draft = _created(tenant_a)
    tenant_a.api().post(f"/api/drafts/{draft['id']}/reject", {"feedback": "Too long."}, format="json")
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"body": "shorter"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and error["details"]["status"] == "rejected"
    assert f"POST /api/drafts/{draft['id']}/revise" in error["message"] and "Too long." in error["message"]
    assert _stored(tenant_a, draft["id"]).body == "Hi Patrick, ..." and _updates(tenant_a, draft["id"]) == []


def test_an_approved_draft_has_nothing_to_change(tenant_a):
    draft = _created(tenant_a)
    tenant_a.api().post(f"/api/drafts/{draft['id']}/approve")
    response = tenant_a.api().patch(f"/api/drafts/{draft['id']}", {"subject": "x"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["details"]["status"] == "approved" and "nothing to change" in error["message"]
    assert "POST /api/drafts" in error["message"]
    assert _stored(tenant_a, draft["id"]).subject == "Pilot next steps" and _updates(tenant_a, draft["id"]) == []


def test_a_revised_draft_points_to_the_version_to_edit(tenant_a):
    draft = _created(tenant_a)
    new = tenant_a.api().post(f"/api/drafts/{draft['id']}/revise", {"body": "v2"}, format="json").json()["new_draft"]
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"body": "v3"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["details"]["status"] == "revised" and error["details"]["latest_revision_id"] == new["id"]
    assert f"PUT /api/drafts/{new['id']}" in error["message"] and "nothing to change" in error["message"]


@pytest.mark.parametrize(("payload", "field"), [({"body": ""}, "body"), ({"body": "   "}, "body"),
                                                ({"type": "fax"}, "type"), ({"task_id": "nope"}, "task_id")])
def test_bad_input_is_a_400_naming_the_field(tenant_a, payload, field):
    draft = _created(tenant_a)
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{field}:")
    assert _stored(tenant_a, draft["id"]).body == "Hi Patrick, ..." and _updates(tenant_a, draft["id"]) == []


def test_ids_of_another_workspace_are_refused(tenant_a, tenant_b):
    draft = _created(tenant_a)
    with tenant_b.schema():
        foreign_person = baker.make_recipe("drafts.patrick", user=tenant_b.owner)
        foreign_draft = baker.make_recipe("drafts.email", user=tenant_b.owner)
    response = tenant_a.api().put(f"/api/drafts/{draft['id']}", {"person_id": str(foreign_person.pk)}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"person_id: no such person in this workspace: {foreign_person.pk}"
    for draft_id in (foreign_draft.pk, uuid.uuid4()):
        assert tenant_a.api().put(f"/api/drafts/{draft_id}", {"body": "x"}, format="json").status_code == 404
    assert tenant_b.api().patch(f"/api/drafts/{draft['id']}", {"body": "x"}, format="json").status_code == 404
    assert _stored(tenant_a, draft["id"]).body == "Hi Patrick, ..."
    with tenant_b.schema():
        assert Draft.objects.get(pk=foreign_draft.pk).body == foreign_draft.body
