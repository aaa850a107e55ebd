"""Drafts services (what the HTMX views, the admin and the API all call): each state change writes its
Log (naming who acted) and publishes its event on commit; a refused change publishes nothing. Then the
review workflow's rules."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.drafts import services
from apps.drafts.models import Draft
from apps.knowledge.models import Knowledge


@pytest.fixture
def pending(tenant_a):
    """A pending draft to Patrick written by Claude (through the service, so it has its snapshot)."""
    with tenant_a.schema():
        return services.draft_create(by=tenant_a.by_claude, type="email", subject="Pilot", body="Hi Patrick").draft


def _draft(owner, **fields) -> Draft:
    fields = {"type": "email", "body": "Hi", "subject": "Pilot", **fields}
    return services.draft_create(by=Attribution.claude(owner), **fields).draft


def _log(entity_id, action) -> Log:
    return Log.objects.get(entity_id=entity_id, action=action)


# --- every state change: its Log and its event --------------------------------------------------

def test_create_logs_and_publishes_who_acted(tenant_a, patrick, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        draft = services.draft_create(by=tenant_a.by_claude, type="email", body="Hi", person=patrick).draft
        log = _log(draft.pk, "draft.created")
    assert [e.type for e in sent] == ["draft.created"]
    assert sent[0].payload["entity_id"] == str(draft.pk) and sent[0].schema_name == tenant_a.tenant.schema_name
    assert (log.actor, log.user_id, log.details["person_id"]) == (Actor.CLAUDE, tenant_a.owner.pk, str(patrick.pk))


def test_create_without_consulting_a_must_consult_playbook_also_publishes_the_skip(tenant_a, patrick,
                                                                                    capture_events):
    task = tenant_a.make("tasks.task", title="Draft follow-up email to Patrick at Liberty")
    guide = tenant_a.make("playbooks.email_guide")
    with tenant_a.schema(), capture_events() as sent:
        services.draft_create(by=tenant_a.by_claude, type="email", body="Hi", person=patrick, task=task)
        skipped = _log(guide.pk, "playbook.consult_skipped")
    assert [e.type for e in sent] == ["playbook.consult_skipped", "draft.created"]
    assert skipped.actor == Actor.CLAUDE and skipped.details["task_id"] == str(task.pk)


def test_update_logs_the_changed_fields_and_publishes(tenant_a, pending, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.draft_update(draft=pending, by=tenant_a.by_owner, body="Hi Patrick, shorter.")
        log = _log(pending.pk, "draft.updated")
    assert [e.type for e in sent] == ["draft.updated"]
    assert (log.actor, log.user_id, log.details["fields"]) == (Actor.USER, tenant_a.owner.pk, ["body"])


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, pending, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.draft_update(draft=pending, by=tenant_a.by_owner, body="Hi Patrick", subject="Pilot")
        assert not Log.objects.filter(entity_id=pending.pk, action="draft.updated").exists()
    assert sent == []


def test_approve_logs_and_publishes_as_the_owner(tenant_a, pending, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.draft_approve(draft=pending, by=tenant_a.by_owner)
        log = _log(pending.pk, "draft.approved")
    assert [e.type for e in sent] == ["draft.approved"] and sent[0].payload["actor"] == Actor.USER
    assert (log.actor, log.user_id, log.details["new_status"]) == (Actor.USER, tenant_a.owner.pk, "approved")


def test_reject_logs_publishes_and_captures_the_feedback_as_knowledge(tenant_a, pending, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        _, capture = services.draft_reject(draft=pending, by=tenant_a.by_owner, feedback="Too long.")
        log = _log(pending.pk, "draft.rejected")
        captured = _log(capture.knowledge.pk, "knowledge.captured")
    # feedback on a draft to nobody is about drafting: the knowledge service routes it to a proposed playbook
    assert [e.type for e in sent] == ["draft.rejected", "knowledge.captured", "playbook.proposed", "knowledge.routed"]
    assert (log.actor, log.user_id, log.details["feedback"]) == (Actor.USER, tenant_a.owner.pk, "Too long.")
    assert (captured.actor, captured.user_id) == (Actor.USER, tenant_a.owner.pk)


def test_revise_creates_the_new_version_and_publishes_both(tenant_a, pending, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        new = services.draft_revise(draft=pending, by=tenant_a.by_claude, body="v2").draft
        log = _log(pending.pk, "draft.revised")
    assert [e.type for e in sent] == ["draft.created", "draft.revised"]
    assert [e.payload["entity_id"] for e in sent] == [str(new.pk), str(pending.pk)]
    assert (log.actor, log.user_id, log.details["new_draft_id"]) == (Actor.CLAUDE, tenant_a.owner.pk, str(new.pk))


@pytest.mark.parametrize("move", ["approve", "reject", "revise", "update"])
def test_a_refused_move_publishes_nothing(tenant_a, pending, capture_events, move):
    calls = {"approve": lambda d: services.draft_approve(draft=d, by=tenant_a.by_owner),
             "reject": lambda d: services.draft_reject(draft=d, by=tenant_a.by_owner, feedback="No."),
             "revise": lambda d: services.draft_revise(draft=d, by=tenant_a.by_owner, body="v3"),
             "update": lambda d: services.draft_update(draft=d, by=tenant_a.by_claude, body="v3")}
    with tenant_a.schema():
        services.draft_approve(draft=pending, by=tenant_a.by_owner)
        before = Log.objects.count()
        with pytest.raises(Conflict), capture_events() as sent:
            calls[move](pending)
        assert Log.objects.count() == before
    assert sent == []


def test_invalid_input_publishes_nothing(tenant_a, pending, capture_events):
    with tenant_a.schema():
        before = Log.objects.count()
        with pytest.raises(InvalidInput), capture_events() as sent:
            services.draft_create(by=tenant_a.by_claude, type="email", body="   ")
        with pytest.raises(InvalidInput), capture_events() as rejected:
            services.draft_reject(draft=pending, by=tenant_a.by_owner, feedback="")
        assert Log.objects.count() == before
    assert sent == [] and rejected == []


# --- the review workflow's rules ------------------------------------------------------------------

def test_reject_refuses_blank_feedback_even_without_the_serializer(owner):
    draft = _draft(owner)
    with pytest.raises(InvalidInput) as excinfo:
        services.draft_reject(draft=draft, by=Attribution.owner(owner), feedback="   ")
    assert excinfo.value.message.startswith("feedback:")
    assert Draft.objects.get(pk=draft.pk).status == "pending" and not Knowledge.objects.exists()


def test_a_superseded_draft_points_to_the_latest_revision_not_the_next(owner):
    first = _draft(owner, body="v1")
    second = services.draft_revise(draft=first, by=Attribution.claude(owner), body="v2").draft
    third = services.draft_revise(draft=second, by=Attribution.claude(owner), body="v3").draft
    with pytest.raises(Conflict) as excinfo:
        services.draft_approve(draft=first, by=Attribution.owner(owner))
    assert excinfo.value.details["latest_revision_id"] == str(third.pk)
    assert f"/api/drafts/{third.pk}/approve" in excinfo.value.message


def test_a_draft_is_revised_once(owner):
    first = _draft(owner)
    services.draft_revise(draft=first, by=Attribution.claude(owner), body="v2")
    with pytest.raises(Conflict):
        # a stale copy of the row changes nothing
        services.draft_revise(draft=first, by=Attribution.claude(owner), body="v2 again")
    assert Draft.objects.filter(revision_of=first).count() == 1


def test_approving_sends_nothing_and_records_no_sending(owner, patrick, mailoutbox):
    draft = _draft(owner, person=patrick)
    approval = services.draft_approve(draft=draft, by=Attribution.owner(owner))
    assert approval.draft.status == "approved" and approval.draft.sent_at is None
    assert approval.send_action["sent_by_expertly"] is False and approval.send_action["method"] == "manual"
    assert mailoutbox == []
    assert list(Log.objects.filter(entity_id=draft.pk).order_by("timestamp").values_list("action", flat=True)) == [
        "draft.created", "draft.approved"]


def test_feedback_about_a_deleted_recipient_is_still_captured(owner, patrick):
    draft = _draft(owner, person=patrick)
    patrick.delete()
    draft, capture = services.draft_reject(draft=draft, by=Attribution.owner(owner), feedback="Too long.")
    assert draft.status == "rejected"
    assert capture.knowledge.category == "person" and "Patrick Fields" in capture.knowledge.content
    assert capture.knowledge.status == "pending_review"  # nobody to route to: the knowledge service does not guess


def test_revision_of_a_draft_whose_person_was_deleted_keeps_going_by_recipient(owner, patrick):
    draft = _draft(owner, person=patrick)
    patrick.delete()
    new = services.draft_revise(draft=draft, by=Attribution.claude(owner), body="v2")
    assert new.draft.relationship_context["person"] is None
    assert [w["code"] for w in new.warnings] == ["recipient_unknown"]
