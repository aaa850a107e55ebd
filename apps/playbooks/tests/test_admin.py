"""The workspace admin writes playbooks through playbook_create / playbook_update and moves them through
playbook_approve / playbook_archive (actor user); a move the service refuses is shown, with nothing changed."""

from apps.activity.models import Log
from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_propose
from tests.fixtures.admin import admin_action, admin_saved

PLAYBOOK = {"name": "Board updates", "description": "How to write the board update", "category": "",
            "triggers": "", "must_consult": "", "content": "Lead with the numbers.", "scripts": "{}",
            "references": "{}", "examples": "[]", "learned_from": "", "source_task": ""}


CHANGELIST = "/admin/playbooks/playbook/"


def test_a_playbook_is_written_and_archived_through_the_services(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/playbooks/playbook/add/", PLAYBOOK))
    with tenant_a.schema():
        playbook = Playbook.objects.get(name="Board updates")
        assert playbook.status == "active"
        assert Log.objects.get(action="playbook.created", entity_id=playbook.pk).actor == "user"
    admin_saved(admin_client.post(f"/admin/playbooks/playbook/{playbook.pk}/change/", {**PLAYBOOK, "must_consult": "on"}))
    assert "Archived: 1." in admin_action(admin_client, CHANGELIST, "archive_selected", playbook)
    with tenant_a.schema():
        playbook.refresh_from_db()
        assert playbook.status == "archived" and playbook.must_consult
        assert Log.objects.get(action="playbook.updated", entity_id=playbook.pk).details["fields"] == ["must_consult"]
        assert Log.objects.get(action="playbook.archived", entity_id=playbook.pk).actor == "user"
    assert admin_client.post(f"/admin/playbooks/playbook/{playbook.pk}/change/", PLAYBOOK).status_code == 403
    assert admin_client.get(f"/admin/playbooks/playbook/{playbook.pk}/delete/").status_code == 403


def test_a_proposal_is_approved_and_a_refused_move_is_shown(tenant_a, admin_client):
    with tenant_a.schema():
        proposal = playbook_propose(by=tenant_a.by_claude, name="Follow-ups", description="Chasing replies",
                                    content="Wait three days.")
    page = admin_action(admin_client, CHANGELIST, "archive_selected", proposal)
    assert "Cannot archive playbook 'Follow-ups': it is proposed" in page
    with tenant_a.schema():
        assert Playbook.objects.get(pk=proposal.pk).status == "proposed"
    assert "Approved: 1." in admin_action(admin_client, CHANGELIST, "approve_selected", proposal)
    with tenant_a.schema():
        assert Playbook.objects.get(pk=proposal.pk).status == "active"
        assert Log.objects.get(action="playbook.approved", entity_id=proposal.pk).actor == "user"
