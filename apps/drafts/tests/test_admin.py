"""The workspace admin writes drafts through draft_create / draft_update and approves them through
draft_approve (actor user); a move the service refuses is shown, with nothing changed; nothing is deleted."""

import html

from model_bakery import baker

from apps.activity.models import Log
from apps.drafts.models import Draft

DRAFT = {"type": "email", "recipient": "patrick@liberty.example", "subject": "Pilot", "body": "Hi Patrick,",
         "task": ""}


def _saved(response):
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_draft_is_written_and_approved_through_the_services(tenant_a, admin_client):
    with tenant_a.schema():
        patrick = baker.make_recipe("drafts.patrick", user=tenant_a.owner)
    _saved(admin_client.post("/admin/drafts/draft/add/", DRAFT))
    with tenant_a.schema():
        draft = Draft.objects.get(subject="Pilot")
        assert draft.status == "pending" and draft.relationship_context["person"]["id"] == str(patrick.pk)
        assert Log.objects.get(action="draft.created", entity_id=draft.pk).actor == "user"
    _saved(admin_client.post(f"/admin/drafts/draft/{draft.pk}/change/", {**DRAFT, "body": "Hi Patrick, here it is."}))
    response = admin_client.post("/admin/drafts/draft/", {"action": "approve_selected",
                                                          "_selected_action": [str(draft.pk)]}, follow=True)
    assert "Approved: 1." in response.content.decode()
    with tenant_a.schema():
        draft.refresh_from_db()
        assert (draft.status, draft.body) == ("approved", "Hi Patrick, here it is.")
        assert Log.objects.get(action="draft.updated", entity_id=draft.pk).details["fields"] == ["body"]
        assert Log.objects.get(action="draft.approved", entity_id=draft.pk).actor == "user"
    page = html.unescape(admin_client.post("/admin/drafts/draft/", {
        "action": "approve_selected", "_selected_action": [str(draft.pk)]}, follow=True).content.decode())
    assert "Cannot approve this draft: it is approved" in page
    assert admin_client.post(f"/admin/drafts/draft/{draft.pk}/change/", {**DRAFT, "body": "Changed"}).status_code == 403
    assert admin_client.get(f"/admin/drafts/draft/{draft.pk}/delete/").status_code == 403
    with tenant_a.schema():
        assert Draft.objects.get(pk=draft.pk).body == "Hi Patrick, here it is."
        assert Log.objects.filter(action="draft.approved").count() == 1
