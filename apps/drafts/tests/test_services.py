"""The review workflow's rules through the services (what the HTMX views and the API both call)."""

import pytest
from model_bakery import baker

from apps.activity.attribution import Attribution
from apps.activity.models import Log
from apps.core.errors import Conflict, InvalidInput
from apps.drafts import services
from apps.drafts.models import Draft
from apps.knowledge.models import Knowledge


@pytest.fixture
def owner(tenant_a):
    with tenant_a.schema():
        yield tenant_a.owner


@pytest.fixture
def patrick(owner):
    return baker.make_recipe("drafts.patrick", user=owner, client=baker.make_recipe("drafts.liberty", user=owner))


def _draft(owner, **fields) -> Draft:
    fields = {"type": "email", "body": "Hi", "subject": "Pilot", **fields}
    return services.draft_create(by=Attribution.claude(owner), **fields).draft


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
