"""Routing through the capture: each category lands where the seed says (apps.knowledge.routing), with
its field and a dated line; an explicit target is used as given. (Ambiguity, no match, routing and
dismissing by hand, and the Log and events of each: test_services.py.)"""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.knowledge.routing import is_about_communication, playbook_name_from, setting_parse
from apps.playbooks.models import Playbook
from tests.fixtures.knowledge import capture, logs

TODAY = re.compile(r"^\[\d{4}-\d{2}-\d{2}\] ")


@pytest.mark.parametrize(("content", "about_communication"), [
    ("Patrick prefers brief, direct emails", True),
    ("Patrick never answers calls before 10", True),
    ("Patrick wants to be cc'd on anything Liberty", True),  # cc'd → "cc" then "'d"
    ("Patrick likes Slack messages over e-mail", True),
    ("Patrick is close to the CEO", False),
    ("Patrick's daughter started university", False),
    ("Patrick owns the budget for Phase 2", False),
])
def test_the_person_rule_communication_or_context(content, about_communication):
    assert is_about_communication(content) is about_communication


def test_person_learning_about_communication_goes_to_communication_notes(tenant_a, owner):
    task = tenant_a.make("tasks.task")
    patrick = tenant_a.make("people.person", name="Patrick Fields", communication_notes="Formal tone.")
    result = capture(owner, "Patrick prefers brief, direct emails", "person", source_task=task)
    assert result.routed_to == {"type": "person", "id": str(patrick.pk), "field_updated": "communication_notes"}
    assert result.action_taken == "Updated Patrick Fields's communication_notes"
    patrick.refresh_from_db()
    first, line = patrick.communication_notes.split("\n")
    assert first == "Formal tone." and TODAY.match(line) and line.endswith("Patrick prefers brief, direct emails")
    k = result.knowledge
    assert line[1:11] == timezone.localtime(k.learned_at, ZoneInfo(owner.timezone)).date().isoformat()
    assert (k.status, k.routed_to_type, k.routed_to_id, k.routed_field) == ("routed", "person", patrick.pk,
                                                                           "communication_notes")


def test_other_person_learnings_go_to_context_notes(tenant_a, owner):
    patrick = tenant_a.make("people.person", name="Patrick Fields")
    result = capture(owner, "Patrick is close to the CEO", "person")
    assert result.routed_to["field_updated"] == "context_notes"
    patrick.refresh_from_db()
    assert TODAY.match(patrick.context_notes) and patrick.communication_notes is None


def test_client_learning_appends_to_notes(tenant_a, owner):
    liberty = tenant_a.make("people.client", name="Liberty Hotel", notes="Pilot client.")
    result = capture(owner, "Liberty Hotel uses Outlook, not Gmail", "client")
    assert result.routed_to == {"type": "client", "id": str(liberty.pk), "field_updated": "notes"}
    liberty.refresh_from_db()
    assert liberty.notes.startswith("Pilot client.\n[") and liberty.notes.endswith("uses Outlook, not Gmail")


def test_project_learning_appends_to_description(tenant_a, owner):
    cnw = tenant_a.make("tasks.project", name="CNW", description=None)
    result = capture(owner, "CNW budget approved for Phase 2", "project")
    assert result.routed_to == {"type": "project", "id": str(cnw.pk), "field_updated": "description"}
    cnw.refresh_from_db()
    assert TODAY.match(cnw.description)


def test_playbook_learning_becomes_a_proposed_playbook_with_its_source(tenant_a, owner):
    task = tenant_a.make("tasks.task")
    result = capture(owner, "Going forward, when scheduling check all 3 calendars. Then book.", "playbook",
                     source_task=task)
    playbook = Playbook.objects.get(pk=result.routed_to["id"])
    assert playbook.status == "proposed"
    assert playbook.name == "When scheduling check all 3 calendars"
    assert playbook.content == "Going forward, when scheduling check all 3 calendars. Then book."
    assert playbook.source_task_id == task.pk and playbook.learned_from.startswith(f"Task {task.pk}")
    assert result.routed_to["field_updated"] == "status"
    assert result.action_taken == "Proposed playbook 'When scheduling check all 3 calendars' for review"
    assert logs("playbook.proposed")[0].details["source_task_id"] == str(task.pk)


def test_playbook_names_are_short_and_capitalised():
    assert playbook_name_from("here's how we do this: invoices go out on the 1st") == "Invoices go out on the 1st"
    long = playbook_name_from("When " + "very " * 40 + "long")
    assert len(long) <= 81 and long.endswith("…") and long.startswith("When very")


def test_rules_go_to_one_rules_playbook_created_on_first_use(owner):
    first = capture(owner, "We call it 'AD' not 'Automation Designer'", "rule")
    second = capture(owner, "Invoices are always in EUR", "rule")
    assert first.action_taken == "Created the 'Rules' playbook with this rule"
    assert second.action_taken == "Added a rule to the 'Rules' playbook"
    assert first.routed_to["id"] == second.routed_to["id"]
    rules = Playbook.objects.get(pk=first.routed_to["id"])
    assert (rules.name, rules.category, rules.status) == ("Rules", "rules", "active")
    lines = rules.content.splitlines()
    assert lines[0] == "# Rules" and lines[1].startswith("- [") and lines[2].endswith("Invoices are always in EUR")
    assert Playbook.objects.filter(name="Rules").count() == 1


@pytest.mark.parametrize(("content", "parsed"), [
    ("CRM URL: https://crm.example.com/app", ("crm_url", "https://crm.example.com/app")),
    ("timezone = Europe/Paris", ("timezone", "Europe/Paris")),
    ("For future reference, Slack workspace: expertly.slack.com.", ("slack_workspace", "expertly.slack.com")),
    ("The Slack workspace URL is https://expertly.slack.com", ("slack_workspace_url", "https://expertly.slack.com")),
    ("David prefers UTC timestamps", None),
    ("Remember that the office is closed on Friday", None),
    ("https://crm.example.com", None),
])
def test_setting_key_values_are_recognised(content, parsed):
    assert setting_parse(content) == parsed


def test_settings_get_a_key_value_or_a_note(owner):
    owner.settings = {"theme": "dark"}
    owner.save(update_fields=["settings"])
    kv = capture(owner, "CRM URL: https://crm.example.com", "setting")
    note = capture(owner, "David prefers UTC timestamps", "setting")
    assert kv.routed_to == {"type": "user_settings", "id": str(owner.pk), "field_updated": "learned.crm_url"}
    assert note.routed_to["field_updated"] == "learned_notes"
    stored = User.objects.get(pk=owner.pk).settings
    assert stored["theme"] == "dark"  # the application's own settings are untouched
    assert stored["learned"] == {"crm_url": "https://crm.example.com"}
    assert stored["learned_notes"][0]["note"] == "David prefers UTC timestamps"
    assert stored["learned_notes"][0]["knowledge_id"] == str(note.knowledge.pk)
    assert owner.settings == stored  # the caller's copy too


def test_explicit_target_skips_name_resolution(tenant_a, owner):
    tenant_a.make("people.person", name="Sarah Jones")
    smith = tenant_a.make("people.person", name="Sarah Smith")
    result = capture(owner, "Sarah prefers calls", "person", target_type="person", target_id=smith.pk)
    assert result.routed_to["id"] == str(smith.pk)
    smith.refresh_from_db()
    assert "Sarah prefers calls" in smith.communication_notes


def test_explicit_playbook_target_appends_to_it(tenant_a, owner):
    playbook = tenant_a.make("playbooks.playbook", name="Scheduling", description="d", content="# Scheduling")
    result = capture(owner, "Check the board calendar too", "playbook", target_type="playbook", target_id=playbook.pk)
    assert result.routed_to == {"type": "playbook", "id": str(playbook.pk), "field_updated": "content"}
    playbook.refresh_from_db()
    assert playbook.content.splitlines()[1].endswith("Check the board calendar too")
