"""The workspace admin keeps the learning loop's audit trail: once an entry is routed or dismissed,
its content, category, source and routing can no longer be changed there (what was learned and
what it changed where stays as it was). An entry still waiting for a decision can be corrected."""

import pytest
from model_bakery import baker

from apps.activity.attribution import Attribution
from apps.activity.models import Log
from apps.knowledge.admin import ADMIN_DISMISSAL
from apps.knowledge.models import Knowledge
from apps.knowledge.services import knowledge_capture, knowledge_dismiss
from tests.fixtures.admin import admin_action

EDIT = {"content": "Rewritten afterwards", "category": "rule", "source_type": "conversation", "trigger_phrase": "",
        "source_task": ""}


def _routed(owner) -> Knowledge:
    baker.make_recipe("people.person", user=owner, name="Mary Jones")
    return knowledge_capture(by=Attribution.claude(owner), content="Mary Jones prefers calls to emails",
                             category="person").knowledge


def _dismissed(owner) -> Knowledge:
    entry = knowledge_capture(by=Attribution.claude(owner), content="Always the board calendar", category="rule",
                              route=False).knowledge
    return knowledge_dismiss(knowledge=entry, by=Attribution.owner(owner), reason="Already a rule")


@pytest.mark.parametrize("make", [_routed, _dismissed])
def test_a_settled_entry_is_read_only_in_the_admin(tenant_a, admin_client, make):
    with tenant_a.schema():
        entry = make(tenant_a.owner)
        before = {f: getattr(entry, f) for f in ("content", "category", "source_type", "status", "routed_to_type",
                                                  "routed_to_id", "routed_field", "dismissed_reason")}
    page = admin_client.get(f"/admin/knowledge/knowledge/{entry.pk}/change/").content.decode()
    assert 'name="content"' not in page and 'name="category"' not in page
    admin_client.post(f"/admin/knowledge/knowledge/{entry.pk}/change/", EDIT)
    with tenant_a.schema():
        entry.refresh_from_db()
        assert {f: getattr(entry, f) for f in before} == before


def test_an_entry_waiting_for_a_decision_can_still_be_corrected(tenant_a, admin_client):
    with tenant_a.schema():
        entry = knowledge_capture(by=tenant_a.by_claude, content="Allways the board calendar", category="rule",
                                  route=False).knowledge
    response = admin_client.post(f"/admin/knowledge/knowledge/{entry.pk}/change/",
                                 {**EDIT, "content": "Always the board calendar"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_a.schema():
        entry.refresh_from_db()
        assert entry.content == "Always the board calendar" and entry.status == "captured"
        log = Log.objects.get(action="knowledge.updated", entity_id=entry.pk)  # knowledge_update
        assert log.actor == "user" and log.details["fields"] == ["content"]


def test_knowledge_is_never_deleted_in_the_admin_but_a_waiting_entry_is_dismissed_through_the_service(
        tenant_a, admin_client):
    with tenant_a.schema():
        waiting = knowledge_capture(by=tenant_a.by_claude, content="Always the board calendar", category="rule",
                                    route=False).knowledge
        routed = _routed(tenant_a.owner)
    for entry in (waiting, routed):
        assert admin_client.get(f"/admin/knowledge/knowledge/{entry.pk}/delete/").status_code == 403
    assert 'value="delete_selected"' not in admin_client.get("/admin/knowledge/knowledge/").content.decode()
    page = admin_action(admin_client, "/admin/knowledge/knowledge/", "dismiss_selected", waiting, routed)
    assert "Dismissed: 1." in page and "Cannot dismiss this knowledge: it is already routed" in page
    with tenant_a.schema():
        waiting.refresh_from_db()
        assert waiting.status == "dismissed" and waiting.dismissed_reason == ADMIN_DISMISSAL
        assert Log.objects.get(action="knowledge.dismissed", entity_id=waiting.pk).actor == "user"
        assert Knowledge.objects.get(pk=routed.pk).status == "routed"
        assert not Log.objects.filter(action="knowledge.dismissed", entity_id=routed.pk).exists()


def test_knowledge_added_in_the_admin_is_captured_through_the_service(tenant_a, admin_client):
    response = admin_client.post("/admin/knowledge/knowledge/add/", {**EDIT, "content": "Allways the board calendar"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_a.schema():
        entry = Knowledge.objects.get()
        assert Log.objects.get(action="knowledge.captured", entity_id=entry.pk).actor == "user"
