"""Capturing and routing through the services: each category lands where the seed says, with its
field, a dated line and the audit log; ambiguity and no match write nothing."""

import re
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from apps.accounts.models import User
from apps.activity.attribution import Attribution
from apps.activity.events import events_flush, tenant_group
from apps.activity.models import Log
from apps.core.errors import Conflict, InvalidInput
from apps.knowledge.models import Knowledge
from apps.knowledge.routing import is_about_communication, playbook_name_from, setting_parse
from apps.knowledge.services import knowledge_capture, knowledge_dismiss, knowledge_route
from apps.people.models import Client, Person
from apps.playbooks.models import Playbook
from apps.tasks.models import Project

from .makers import make_client, make_person, make_project, make_task

TODAY = re.compile(r"^\[\d{4}-\d{2}-\d{2}\] ")


def capture(owner, content, category, session_id=None, **kw):
    return knowledge_capture(by=Attribution.claude(owner, session_id=session_id), content=content, category=category, **kw)


def logs(action):
    return list(Log.objects.filter(action=action).order_by("timestamp"))


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


def test_person_learning_about_communication_goes_to_communication_notes(owner):
    task = make_task(owner)
    patrick = make_person(owner, "Patrick Fields", communication_notes="Formal tone.")
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


def test_other_person_learnings_go_to_context_notes(owner):
    patrick = make_person(owner, "Patrick Fields")
    result = capture(owner, "Patrick is close to the CEO", "person")
    assert result.routed_to["field_updated"] == "context_notes"
    patrick.refresh_from_db()
    assert TODAY.match(patrick.context_notes) and patrick.communication_notes is None


def test_client_learning_appends_to_notes(owner):
    liberty = make_client(owner, "Liberty Hotel", notes="Pilot client.")
    result = capture(owner, "Liberty Hotel uses Outlook, not Gmail", "client")
    assert result.routed_to == {"type": "client", "id": str(liberty.pk), "field_updated": "notes"}
    liberty.refresh_from_db()
    assert liberty.notes.startswith("Pilot client.\n[") and liberty.notes.endswith("uses Outlook, not Gmail")


def test_project_learning_appends_to_description(owner):
    cnw = make_project(owner, "CNW", description=None)
    result = capture(owner, "CNW budget approved for Phase 2", "project")
    assert result.routed_to == {"type": "project", "id": str(cnw.pk), "field_updated": "description"}
    cnw.refresh_from_db()
    assert TODAY.match(cnw.description)


def test_playbook_learning_becomes_a_proposed_playbook_with_its_source(owner):
    task = make_task(owner)
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


def test_explicit_target_skips_name_resolution(owner):
    make_person(owner, "Sarah Jones")
    smith = make_person(owner, "Sarah Smith")
    result = capture(owner, "Sarah prefers calls", "person", target_type="person", target_id=smith.pk)
    assert result.routed_to["id"] == str(smith.pk)
    smith.refresh_from_db()
    assert "Sarah prefers calls" in smith.communication_notes


def test_explicit_playbook_target_appends_to_it(owner):
    playbook = Playbook.objects.create(user=owner, name="Scheduling", description="d", content="# Scheduling")
    result = capture(owner, "Check the board calendar too", "playbook", target_type="playbook", target_id=playbook.pk)
    assert result.routed_to == {"type": "playbook", "id": str(playbook.pk), "field_updated": "content"}
    playbook.refresh_from_db()
    assert playbook.content.splitlines()[1].endswith("Check the board calendar too")


def test_explicit_target_of_the_wrong_type_is_400_naming_target_type(owner):
    client = make_client(owner, "Liberty Hotel")
    with pytest.raises(InvalidInput) as excinfo:
        capture(owner, "Liberty uses Outlook", "person", target_type="client", target_id=client.pk)
    assert excinfo.value.message.startswith("target_type:")
    with pytest.raises(InvalidInput) as excinfo:
        capture(owner, "Patrick likes calls", "person", target_type="person")
    assert excinfo.value.message.startswith("target_id:")
    assert not Knowledge.objects.exists()


def test_explicit_target_of_another_tenant_is_400_naming_target_id(owner, tenant_b):
    with tenant_b.schema():
        foreign = make_person(tenant_b.owner, "Patrick Fields")
    with pytest.raises(InvalidInput) as excinfo:
        capture(owner, "Patrick likes calls", "person", target_type="person", target_id=foreign.pk)
    assert excinfo.value.message.startswith("target_id:")
    assert not Knowledge.objects.exists()


def test_two_sarahs_leave_it_pending_with_candidates_and_write_nothing(owner):
    task = make_task(owner)
    jones, smith = make_person(owner, "Sarah Jones"), make_person(owner, "Sarah Smith")
    result = capture(owner, "Sarah prefers calls before 10am", "person", source_task=task)
    k = result.knowledge
    assert k.status == "pending_review" and result.routed_to is None
    assert {c["name"] for c in k.candidates} == {"Sarah Jones", "Sarah Smith"}
    assert "2 persons" in k.review_note and "/route" in result.action_taken
    assert not Person.objects.filter(pk__in=[jones.pk, smith.pk]).exclude(
        communication_notes=None, context_notes=None).exists()
    assert logs("knowledge.pending_review")[0].details["source_task_id"] == str(task.pk)
    assert not logs("knowledge.routed")


@pytest.mark.parametrize("category", ["person", "client", "project"])
def test_no_match_leaves_it_pending_and_writes_nothing(owner, category):
    make_person(owner, "Patrick Fields")
    make_client(owner, "Liberty Hotel")
    make_project(owner, "CNW")
    result = capture(owner, "The new one likes short updates", category)
    assert result.knowledge.status == "pending_review" and result.knowledge.candidates == []
    assert not Person.objects.exclude(communication_notes=None, context_notes=None).exists()
    assert not Client.objects.exclude(notes=None).exists()
    assert not Project.objects.exclude(description=None).exists()


def test_manual_route_of_a_pending_entry_then_409(owner):
    make_person(owner, "Sarah Jones")
    smith = make_person(owner, "Sarah Smith")
    pending = capture(owner, "Sarah prefers calls", "person").knowledge
    routed = knowledge_route(knowledge=pending, by=Attribution.claude(owner), target_type="person", target_id=smith.pk)
    assert routed.knowledge.status == "routed" and routed.routed_to["id"] == str(smith.pk)
    assert routed.knowledge.review_note is None
    with pytest.raises(Conflict) as excinfo:
        knowledge_route(knowledge=pending, by=Attribution.claude(owner), target_type="person", target_id=smith.pk)
    assert "already routed" in excinfo.value.message
    with pytest.raises(Conflict):
        knowledge_dismiss(knowledge=pending, by=Attribution.claude(owner), reason="dup")


def test_manual_route_to_another_kind_of_target_changes_the_category(owner):
    liberty = make_client(owner, "Liberty Hotel")
    entry = Knowledge.objects.create(user=owner, content="Always cc Mary.", category="rule",
                                     source_type="trigger_phrase", trigger_phrase="always")
    routed = knowledge_route(knowledge=entry, by=Attribution.claude(owner), target_type="client", target_id=liberty.pk)
    assert routed.knowledge.category == "client" and routed.routed_to["field_updated"] == "notes"
    other = Knowledge.objects.create(user=owner, content="Always cc Mary.", category="rule", source_type="task")
    with pytest.raises(InvalidInput) as excinfo:
        knowledge_route(knowledge=other, by=Attribution.claude(owner), target_type="client", target_id=liberty.pk,
                        category="rule")
    assert excinfo.value.message.startswith("target_type:")


def test_dismiss_needs_a_reason_and_is_logged(owner):
    task = make_task(owner)
    entry = Knowledge.objects.create(user=owner, content="Always smile.", category="rule", source_task=task,
                                     source_type="trigger_phrase", trigger_phrase="always")
    with pytest.raises(InvalidInput):
        knowledge_dismiss(knowledge=entry, by=Attribution.claude(owner), reason="  ")
    dismissed = knowledge_dismiss(knowledge=entry, by=Attribution.claude(owner), reason="Already known")
    assert (dismissed.status, dismissed.dismissed_reason) == ("dismissed", "Already known")
    assert logs("knowledge.dismissed")[0].details == {"source_task_id": str(task.pk), "reason": "Already known"}
    with pytest.raises(Conflict):
        knowledge_route(knowledge=entry, by=Attribution.claude(owner))


def test_every_capture_is_logged_with_its_source_task(owner):
    task = make_task(owner)
    make_person(owner, "Patrick Fields")
    result = capture(owner, "Patrick prefers calls", "person", source_task=task, session_id="loop-7")
    captured, routed = logs("knowledge.captured")[0], logs("knowledge.routed")[0]
    for log in (captured, routed):
        assert log.entity_type == "knowledge" and log.entity_id == result.knowledge.pk
        assert log.details["source_task_id"] == str(task.pk) and log.session_id == "loop-7"
    assert routed.details["routed_to"] == result.routed_to
    assert routed.details["action_taken"] == result.action_taken


def test_events_are_published_after_commit(tenant_a, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(tenant_group(tenant_a.tenant.schema_name), channel)
    try:
        with tenant_a.schema():
            make_person(tenant_a.owner, "Patrick Fields")
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                capture(tenant_a.owner, "Patrick prefers calls", "person")
            assert len(callbacks) == 2  # captured + routed, nothing sent before the commit
            for callback in callbacks:
                callback()
        events_flush()

        async def receive():
            import asyncio

            return await asyncio.wait_for(layer.receive(channel), 2.0)

        types = [async_to_sync(receive)()["event"]["type"] for _ in range(2)]
    finally:
        async_to_sync(layer.group_discard)(tenant_group(tenant_a.tenant.schema_name), channel)
    assert sorted(types) == ["knowledge.captured", "knowledge.routed"]
