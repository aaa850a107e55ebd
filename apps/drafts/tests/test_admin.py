"""The workspace admin writes drafts through draft_create / draft_update and approves them through
draft_approve (actor user); a move the service refuses is shown, with nothing changed; nothing is deleted."""

from apps.activity.models import Log
from apps.drafts.models import Draft
from tests.fixtures.admin import admin_action, admin_saved

DRAFT = {"type": "email", "recipient": "patrick@liberty.example", "subject": "Pilot", "body": "Hi Patrick,",
         "task": ""}


CHANGELIST = "/admin/drafts/draft/"


def test_a_draft_is_written_and_approved_through_the_services(tenant_a, admin_client):
    patrick = tenant_a.make("people.patrick")
    admin_saved(admin_client.post("/admin/drafts/draft/add/", DRAFT))
    with tenant_a.schema():
        draft = Draft.objects.get(subject="Pilot")
        assert draft.status == "pending" and draft.relationship_context["person"]["id"] == str(patrick.pk)
        assert Log.objects.get(action="draft.created", entity_id=draft.pk).actor == "user"
    admin_saved(admin_client.post(f"/admin/drafts/draft/{draft.pk}/change/", {**DRAFT, "body": "Hi Patrick, here it is."}))
    assert "Approved: 1." in admin_action(admin_client, CHANGELIST, "approve_selected", draft)
    with tenant_a.schema():
        draft.refresh_from_db()
        assert (draft.status, draft.body) == ("approved", "Hi Patrick, here it is.")
        assert Log.objects.get(action="draft.updated", entity_id=draft.pk).details["fields"] == ["body"]
        assert Log.objects.get(action="draft.approved", entity_id=draft.pk).actor == "user"
    page = admin_action(admin_client, CHANGELIST, "approve_selected", draft)
    assert "Cannot approve this draft: it is approved" in page
    assert admin_client.post(f"/admin/drafts/draft/{draft.pk}/change/", {**DRAFT, "body": "Changed"}).status_code == 403
    assert admin_client.get(f"/admin/drafts/draft/{draft.pk}/delete/").status_code == 403
    with tenant_a.schema():
        assert Draft.objects.get(pk=draft.pk).body == "Hi Patrick, here it is."
        assert Log.objects.filter(action="draft.approved").count() == 1
