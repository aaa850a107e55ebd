"""Knowledge services: each state change writes its Log (naming who acted, with the source task) and
publishes its event on commit (captured first, then routed or pending_review; later routed by hand,
dismissed, corrected); a change that changes nothing writes nothing; a refused change (400, 409)
publishes nothing. What the owner says with a trigger phrase is captured as him."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.knowledge import services
from apps.knowledge.models import Knowledge
from apps.knowledge.services import knowledge_dismiss, knowledge_route
from apps.people.models import Client, Person
from apps.tasks.models import Project
from apps.tasks.services.tasks import task_create
from tests.fixtures.audit import recorded
from tests.fixtures.knowledge import capture, logs


def _types(sent) -> list[str]:
    return [e.type for e in sent]


# --- capturing ------------------------------------------------------------------------------------

def test_every_capture_is_logged_with_its_source_task(tenant_a, owner, capture_events):
    task = tenant_a.make("tasks.task")
    tenant_a.make("people.person", name="Patrick Fields")
    with capture_events() as sent:
        result = capture(owner, "Patrick prefers calls", "person", source_task=task, session_id="loop-7")
    captured, routed = logs("knowledge.captured")[0], logs("knowledge.routed")[0]
    for log in (captured, routed):
        assert log.entity_type == "knowledge" and log.entity_id == result.knowledge.pk
        assert log.details["source_task_id"] == str(task.pk) and log.session_id == "loop-7"
        assert (log.actor, log.user_id) == (Actor.CLAUDE, owner.pk)
    assert _types(sent) == ["knowledge.captured", "knowledge.routed"]
    assert {(e.payload["actor"], e.payload["entity_id"]) for e in sent} == {(Actor.CLAUDE, str(result.knowledge.pk))}
    assert sent[0].schema_name == tenant_a.tenant.schema_name
    assert routed.details["routed_to"] == result.routed_to
    assert routed.details["action_taken"] == result.action_taken


def test_events_are_published_after_commit(tenant_a, live_events, django_capture_on_commit_callbacks):
    with live_events(tenant_a) as receive:
        with tenant_a.schema():
            tenant_a.make("people.person", name="Patrick Fields")
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                capture(tenant_a.owner, "Patrick prefers calls", "person")
            assert len(callbacks) == 2  # captured + routed, nothing sent before the commit
            for callback in callbacks:
                callback()
        types = [receive()["type"] for _ in range(2)]
    assert sorted(types) == ["knowledge.captured", "knowledge.routed"]


def test_a_capture_naming_no_one_publishes_pending_review(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.knowledge_capture(by=tenant_a.by_claude, content="The new one likes texts", category="person")
    assert _types(sent) == ["knowledge.captured", "knowledge.pending_review"]
    assert recorded(tenant_a, sent, "knowledge.pending_review", by=tenant_a.by_claude).details["candidates"] == []


def test_two_sarahs_leave_it_pending_with_candidates_and_write_nothing(tenant_a, owner):
    task = tenant_a.make("tasks.task")
    jones, smith = tenant_a.make("people.person", name="Sarah Jones"), tenant_a.make("people.person", name="Sarah Smith")
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
def test_no_match_leaves_it_pending_and_writes_nothing(tenant_a, owner, category):
    tenant_a.make("people.person", name="Patrick Fields")
    tenant_a.make("people.client", name="Liberty Hotel")
    tenant_a.make("tasks.project", name="CNW")
    result = capture(owner, "The new one likes short updates", category)
    assert result.knowledge.status == "pending_review" and result.knowledge.candidates == []
    assert not Person.objects.exclude(communication_notes=None, context_notes=None).exists()
    assert not Client.objects.exclude(notes=None).exists()
    assert not Project.objects.exclude(description=None).exists()


def test_a_refused_capture_publishes_nothing(tenant_a, capture_events):
    with tenant_a.schema():
        with pytest.raises(InvalidInput) as refused, capture_events() as sent:
            services.knowledge_capture(by=tenant_a.by_claude, content="x", category="gossip")
        assert not Knowledge.objects.exists()
    assert refused.value.message.startswith("category:") and sent == []


def test_explicit_target_of_the_wrong_type_is_400_naming_target_type(tenant_a, owner):
    client = tenant_a.make("people.client", name="Liberty Hotel")
    with pytest.raises(InvalidInput) as excinfo:
        capture(owner, "Liberty uses Outlook", "person", target_type="client", target_id=client.pk)
    assert excinfo.value.message.startswith("target_type:")
    with pytest.raises(InvalidInput) as excinfo:
        capture(owner, "Patrick likes calls", "person", target_type="person")
    assert excinfo.value.message.startswith("target_id:")
    assert not Knowledge.objects.exists()


def test_explicit_target_of_another_tenant_is_400_naming_target_id(owner, tenant_b):
    foreign = tenant_b.make("people.person", name="Patrick Fields")
    with pytest.raises(InvalidInput) as excinfo:
        capture(owner, "Patrick likes calls", "person", target_type="person", target_id=foreign.pk)
    assert excinfo.value.message.startswith("target_id:")
    assert not Knowledge.objects.exists()


# --- routing and dismissing by hand ---------------------------------------------------------------

def test_route_by_hand_logs_and_publishes_as_the_owner(tenant_a, capture_events):
    smith = tenant_a.make("people.person", name="Sarah Smith")
    entry = tenant_a.make("knowledge.pending")
    with tenant_a.schema(), capture_events() as sent:
        services.knowledge_route(knowledge=entry, by=tenant_a.by_owner, target_type="person", target_id=smith.pk)
    assert _types(sent) == ["knowledge.routed"]
    assert recorded(tenant_a, sent, "knowledge.routed", by=tenant_a.by_owner).details["routed_to"]["id"] == str(smith.pk)


def test_manual_route_of_a_pending_entry_then_409(tenant_a, owner):
    tenant_a.make("people.person", name="Sarah Jones")
    smith = tenant_a.make("people.person", name="Sarah Smith")
    pending = capture(owner, "Sarah prefers calls", "person").knowledge
    routed = knowledge_route(knowledge=pending, by=Attribution.owner(owner), target_type="person", target_id=smith.pk)
    assert routed.knowledge.status == "routed" and routed.routed_to["id"] == str(smith.pk)
    assert routed.knowledge.review_note is None
    with pytest.raises(Conflict) as excinfo:
        knowledge_route(knowledge=pending, by=Attribution.owner(owner), target_type="person", target_id=smith.pk)
    assert "already routed" in excinfo.value.message
    with pytest.raises(Conflict):
        knowledge_dismiss(knowledge=pending, by=Attribution.owner(owner), reason="dup")


def test_manual_route_to_another_kind_of_target_changes_the_category(tenant_a, owner):
    liberty = tenant_a.make("people.client", name="Liberty Hotel")
    entry = tenant_a.make("knowledge.trigger_entry", content="Always cc Mary.")
    routed = knowledge_route(knowledge=entry, by=Attribution.owner(owner), target_type="client", target_id=liberty.pk)
    assert routed.knowledge.category == "client" and routed.routed_to["field_updated"] == "notes"
    other = tenant_a.make("knowledge.knowledge", content="Always cc Mary.")
    with pytest.raises(InvalidInput) as excinfo:
        knowledge_route(knowledge=other, by=Attribution.owner(owner), target_type="client", target_id=liberty.pk,
                        category="rule")
    assert excinfo.value.message.startswith("target_type:")


def test_dismiss_needs_a_reason_and_is_logged(tenant_a, owner, capture_events):
    task = tenant_a.make("tasks.task")
    entry = tenant_a.make("knowledge.trigger_entry", content="Always smile.", source_task=task)
    with pytest.raises(InvalidInput):
        knowledge_dismiss(knowledge=entry, by=Attribution.owner(owner), reason="  ")
    with capture_events() as sent:
        dismissed = knowledge_dismiss(knowledge=entry, by=Attribution.owner(owner), reason="Already known")
    assert (dismissed.status, dismissed.dismissed_reason) == ("dismissed", "Already known")
    assert logs("knowledge.dismissed")[0].details == {"source_task_id": str(task.pk), "reason": "Already known"}
    assert (logs("knowledge.dismissed")[0].actor, _types(sent)) == (Actor.USER, ["knowledge.dismissed"])
    with pytest.raises(Conflict):
        knowledge_route(knowledge=entry, by=Attribution.owner(owner))


@pytest.mark.parametrize("change", ["route", "dismiss", "update"])
def test_a_refused_change_of_a_settled_entry_publishes_nothing(tenant_a, capture_events, change):
    entry = tenant_a.make("knowledge.knowledge", status="dismissed", dismissed_reason="Not a rule")
    call = {"route": lambda: services.knowledge_route(knowledge=entry, by=tenant_a.by_owner),
            "dismiss": lambda: services.knowledge_dismiss(knowledge=entry, by=tenant_a.by_owner, reason="again"),
            "update": lambda: services.knowledge_update(knowledge=entry, by=tenant_a.by_owner, content="Reworded")}[change]
    with tenant_a.schema():
        with pytest.raises(Conflict) as refused, capture_events() as sent:
            call()
        assert not Log.objects.filter(entity_id=entry.pk).exists()
    assert refused.value.code == "invalid_transition" and sent == []


# --- correcting -----------------------------------------------------------------------------------

def test_update_logs_the_changed_fields_as_the_owner(tenant_a, capture_events):
    entry = tenant_a.make("knowledge.trigger_entry", content="Allways cc Mary.")
    with tenant_a.schema(), capture_events() as sent:
        services.knowledge_update(knowledge=entry, by=tenant_a.by_owner, content="Always cc Mary.", category="rule")
    assert recorded(tenant_a, sent, "knowledge.updated", by=tenant_a.by_owner, entity_id=entry.pk).details == {
        "source_task_id": None, "fields": ["content"]}


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, capture_events):
    entry = tenant_a.make("knowledge.trigger_entry", content="Always cc Mary.")
    with tenant_a.schema(), capture_events() as sent:
        services.knowledge_update(knowledge=entry, by=tenant_a.by_owner, content="Always cc Mary.")
        assert not Log.objects.filter(entity_id=entry.pk).exists()
    assert sent == []


# --- the owner's trigger phrases ------------------------------------------------------------------

def test_trigger_add_logs_and_publishes_once(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        _, added = services.knowledge_trigger_add(by=tenant_a.by_owner, phrase="note to self")
        _, added_again = services.knowledge_trigger_add(by=tenant_a.by_owner, phrase="Note to self")
    assert (added, added_again, _types(sent)) == (True, False, ["knowledge.trigger_added"])
    log = recorded(tenant_a, sent, "knowledge.trigger_added", by=tenant_a.by_owner, entity_id=tenant_a.owner.pk)
    assert (log.entity_type, log.details) == ("user", {"phrase": "note to self"})


def test_the_owners_words_are_captured_as_him_with_their_event(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        task = task_create(by=tenant_a.by_owner, title="Invoices", description="Send them. Always cc Mary on invoices.")
        entry = Knowledge.objects.get(source_task=task)
    assert _types(sent) == ["task.created", "knowledge.captured"]
    assert (entry.status, entry.trigger_phrase, entry.content) == ("captured", "always", "Always cc Mary on invoices.")
    log = recorded(tenant_a, sent, "knowledge.captured", by=tenant_a.by_owner, entity_id=entry.pk)
    assert (log.details["trigger_phrase"], log.details["source_task_id"]) == ("always", str(task.pk))
