"""The workspace admin keeps the learning loop's audit trail: once an entry is routed or dismissed,
its content, category, source and routing can no longer be changed there (what was learned and
what it changed where stays as it was). An entry still waiting for a decision can be corrected."""

import pytest
from django.test import Client

from apps.knowledge.models import Knowledge
from apps.knowledge.services import knowledge_capture, knowledge_dismiss

from .makers import make_person

PASSWORD = "correct horse battery staple"
EDIT = {"content": "Rewritten afterwards", "category": "rule", "source_type": "conversation", "trigger_phrase": "",
        "source_task": ""}


@pytest.fixture
def admin_client(tenant_a) -> Client:
    client = Client(HTTP_HOST=tenant_a.host)
    assert client.post("/admin/login/", {"username": tenant_a.owner.email, "password": PASSWORD,
                                         "next": "/admin/"}).status_code == 302
    return client


def _routed(owner) -> Knowledge:
    make_person(owner, "Mary Jones")
    return knowledge_capture(user=owner, content="Mary Jones prefers calls to emails", category="person").knowledge


def _dismissed(owner) -> Knowledge:
    entry = knowledge_capture(user=owner, content="Always the board calendar", category="rule", route=False).knowledge
    return knowledge_dismiss(knowledge=entry, user=owner, reason="Already a rule")


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
        entry = knowledge_capture(user=tenant_a.owner, content="Allways the board calendar", category="rule",
                                  route=False).knowledge
    response = admin_client.post(f"/admin/knowledge/knowledge/{entry.pk}/change/",
                                 {**EDIT, "content": "Always the board calendar"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_a.schema():
        entry.refresh_from_db()
        assert entry.content == "Always the board calendar" and entry.status == "captured"
