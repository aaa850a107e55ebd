"""Every write to drafts, and the review workflow (seed principle 2: Claude drafts, David sends).

    pending ──approve──▶ approved          (the owner sends it himself: see draft_send_action)
       │  └──reject (feedback)──▶ rejected
       │                              │
       └──────────revise──────────────┴──▶ revised   (a new pending draft, revision_of → this one)

Nothing here, or anywhere in Expertly, sends a draft: approval answers with instructions for the
owner. Each move locks the row, so two reviewers cannot both win; an illegal move is a 409 that
says the draft's state and what to do instead. Each move writes the audit Log and publishes its
event on commit (draft.created, draft.updated, draft.approved, draft.rejected, draft.revised).
Only a pending draft is edited in place (draft_update); a rejected one is revised, so the version
the owner rejected stays in the chain.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.errors import InvalidInput
from apps.core.services import model_update
from apps.core.states import StateMachine
from apps.knowledge.models import KnowledgeCategory, KnowledgeSourceType, RoutedToType
from apps.knowledge.services import Capture, knowledge_capture
from apps.people.models import Person
from apps.tasks.models import Task

from . import selectors
from .models import Draft, DraftStatus, DraftType

PENDING, APPROVED, REJECTED = DraftStatus.PENDING, DraftStatus.APPROVED, DraftStatus.REJECTED
REVISED, SENT = DraftStatus.REVISED, DraftStatus.SENT

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "approve": ({PENDING}, APPROVED),
    "reject": ({PENDING}, REJECTED),
    "revise": ({PENDING, REJECTED}, REVISED),
    "update": ({PENDING}, PENDING),  # edited in place (draft_update): not a move
}
ACTIONS = {"approve": LogAction.DRAFT_APPROVED, "reject": LogAction.DRAFT_REJECTED, "revise": LogAction.DRAFT_REVISED}

NEVER_SENDS = "Expertly never sends"


@dataclass
class DraftResult:
    """A draft just written, with the warnings Claude should heed (and that were logged)."""

    draft: Draft
    warnings: list[dict] = field(default_factory=list)


# --- relationship context (principle 4) -------------------------------------------------------

def _iso(value):
    return value.isoformat() if value else None


def _person_snapshot(person: Person) -> dict:
    return {
        "id": str(person.pk), "name": person.name, "email": person.email, "title": person.title,
        "company": person.company, "relationship": person.relationship,
        "relationship_to_user": person.relationship_to_user, "political_context": person.political_context,
        "communication_notes": person.communication_notes, "context_notes": person.context_notes,
        "last_contact": _iso(person.last_contact), "next_follow_up": _iso(person.next_follow_up),
    }


def _relationship_snapshot(lookup: selectors.RecipientLookup) -> dict:
    """What was known about the recipient when the draft was written: the person's relationship
    fields, their client, and who else the task involves (who else will see it, who deserves credit).
    A snapshot: later edits to the person do not rewrite what this draft was based on."""
    person = lookup.person
    client = person.client if person else None
    return {
        "captured_at": timezone.now().isoformat(),
        "resolved_by": lookup.resolved_by,
        "person": _person_snapshot(person) if person else None,
        "client": {"id": str(client.pk), "name": client.name, "status": client.status, "notes": client.notes}
        if client else None,
        "others_involved": [
            {"id": str(tp.person_id), "name": tp.person.name, "role": tp.role,
             "relationship_to_user": tp.person.relationship_to_user, "political_context": tp.person.political_context}
            for tp in lookup.others
        ],
        "candidates": [{"id": str(p.pk), "name": p.name, "email": p.email} for p in lookup.candidates],
    }


def _recipient_warnings(lookup: selectors.RecipientLookup, recipient: str | None) -> list[dict]:
    if lookup.person is not None or not (recipient or lookup.candidates):
        return []
    if lookup.candidates:
        names = ", ".join(f"{p.name} ({p.pk})" for p in lookup.candidates)
        return [{"code": "recipient_ambiguous",
                 "warning": f"'{recipient or 'the task'}' could be several people: {names}. Revise the draft with "
                            f"the right person_id so it is written with their relationship context."}]
    return [{"code": "recipient_unknown",
             "warning": f"No person in this workspace matches '{recipient}', so the draft carries no relationship "
                        "context. If you know them, create the draft with their person_id."}]


def _must_consult_warnings(*, by: Attribution, draft: Draft, task: Task | None) -> list[dict]:
    """Must-consult communication playbooks of `task` not consulted: a warning each, logged."""
    warnings = []
    for skipped in selectors.draft_playbooks_not_consulted(user=by.user, task=task):
        playbook = skipped.playbook
        warnings.append({
            "code": "must_consult_skipped", "playbook_id": str(playbook.pk), "playbook_name": playbook.name,
            "warning": f"Drafted without consulting must-consult playbook '{playbook.name}'. Read it with "
                       f"GET /api/playbooks/{playbook.pk}?task_id={task.pk} and, if it changes anything, revise "
                       f"this draft (POST /api/drafts/{draft.pk}/revise).",
        })
        log_record(action=LogAction.PLAYBOOK_CONSULT_SKIPPED, by=by, entity=playbook,
                   details={"task_id": str(task.pk), "draft_id": str(draft.pk), "name": playbook.name})
    return warnings


def _check_body(body: str | None) -> None:
    if not (body or "").strip():
        raise InvalidInput("body: the draft has no text.", details={"body": ["This field may not be blank."]})


def _insert(*, by: Attribution, type: str, body: str, recipient: str | None, subject: str | None, task: Task | None,
            lookup: selectors.RecipientLookup, revision_of: Draft | None) -> DraftResult:
    """Write one pending draft with its relationship snapshot, check the must-consult playbooks,
    and log both. Shared by creating and revising."""
    _check_body(body)
    person = lookup.person
    if not recipient and person is not None:
        recipient = person.email if type == DraftType.EMAIL and person.email else person.name
    draft = Draft.objects.create(user=by.user, type=type, body=body, recipient=recipient, subject=subject, task=task,
                                 revision_of=revision_of, relationship_context=_relationship_snapshot(lookup))
    result = DraftResult(draft=draft, warnings=_recipient_warnings(lookup, recipient))
    result.warnings += _must_consult_warnings(draft=draft, by=by, task=task)
    log_record(action=LogAction.DRAFT_CREATED, by=by, entity=draft,
               details={"type": draft.type, "recipient": draft.recipient, "subject": draft.subject,
                        "task_id": str(task.pk) if task else None, "person_id": str(person.pk) if person else None,
                        "revision_of": str(revision_of.pk) if revision_of else None,
                        "warnings": [w["code"] for w in result.warnings]})
    return result


@transaction.atomic
def draft_create(*, by: Attribution, type: str, body: str, recipient: str | None = None, subject: str | None = None,
                 task: Task | None = None, person: Person | None = None) -> DraftResult:
    """A new pending draft for the owner to review. Creating it looks up who the recipient is
    (principle 4: the given person, else the person the recipient names, else the task's recipient)
    and snapshots their relationship context into the draft. A must-consult communication playbook
    that matched the task but was not consulted does not block drafting: it comes back as a warning
    and is logged as playbook.consult_skipped (principle 6)."""
    lookup = selectors.draft_recipient_lookup(user=by.user, recipient=recipient, task=task, person=person)
    return _insert(by=by, type=type, body=body, recipient=recipient, subject=subject, task=task, lookup=lookup,
                   revision_of=None)


# --- editing a pending draft -------------------------------------------------------------------

UNCHANGED = object()


@transaction.atomic
def draft_update(*, by: Attribution, draft: Draft, person=UNCHANGED, task=UNCHANGED, **changes) -> DraftResult:
    """Edit a pending draft in place: any of type, recipient, subject, body, and its task or person
    (409 for any other state: a rejected draft is revised, an approved or revised one is final).

    Who the recipient is follows the edit (principle 4): when the person, the recipient text or the
    task changes, the recipient is looked up again as on creation (the given person, else the one the
    recipient names, else the task's recipient), and if that is not the person the draft was written
    for, `relationship_context` is snapshotted afresh. A new person given without a new recipient text
    (or found for a draft that had no recipient) gives the recipient from the person. An edit that
    changes nothing writes and logs nothing.
    """
    current = DRAFT_STATES.lock(draft, "update")
    if "body" in changes:
        _check_body(changes["body"])
    if task is not UNCHANGED:
        changes["task"] = task
    warnings: list[dict] = []
    if person is not UNCHANGED or {"recipient", "task"} & changes.keys():
        lookup = selectors.draft_recipient_lookup(user=by.user, recipient=changes.get("recipient", current.recipient),
                                                  task=changes.get("task", current.task),
                                                  person=None if person is UNCHANGED else person)
        new_person_id = str(lookup.person.pk) if lookup.person else None
        person_changed = new_person_id != current.snapshot_person_id
        given = person is not UNCHANGED and person is not None
        if person_changed and lookup.person and "recipient" not in changes and (given or not current.recipient):
            kind, found = changes.get("type", current.type), lookup.person
            changes["recipient"] = found.email if kind == DraftType.EMAIL and found.email else found.name
        if person_changed or changes.get("task", current.task) != current.task:
            changes["relationship_context"] = _relationship_snapshot(lookup)
            warnings = _recipient_warnings(lookup, changes.get("recipient", current.recipient))
    changed = model_update(instance=current, changes=changes)
    if not changed:
        return DraftResult(draft=current)
    if "task_id" in changed:
        warnings += _must_consult_warnings(draft=current, by=by, task=current.task)
    log_record(action=LogAction.DRAFT_UPDATED, by=by, entity=current,
               details={"draft_id": str(current.pk), "fields": changed, "person_id": current.snapshot_person_id,
                        "warnings": [w["code"] for w in warnings]})
    return DraftResult(draft=current, warnings=warnings)


# --- the review workflow ----------------------------------------------------------------------

def _hint(draft: Draft, action: str) -> tuple[str, dict]:
    """What to do instead, for each illegal move or edit (and any ids the caller needs for it)."""
    did = draft.pk
    if draft.status == REVISED:
        latest = selectors.draft_latest_revision(draft=draft)
        where = (f"nothing to change here; edit the latest version, draft {latest.pk} (PUT /api/drafts/{latest.pk})"
                 if action == "update" else
                 f"act on the latest version, draft {latest.pk} (POST /api/drafts/{latest.pk}/{action})")
        return f"It was superseded by a revision: {where}.", {"latest_revision_id": str(latest.pk)}
    if draft.status in (APPROVED, SENT) and action == "update":
        return ("It is final: nothing to change. If it should say something else, write a new draft "
                "(POST /api/drafts) and tell the owner before he sends the approved one.", {})
    if draft.status == APPROVED:
        if action == "approve":
            return f"It was already approved at {draft.approved_at:%Y-%m-%d %H:%M:%S} UTC; the owner sends it.", {}
        return ("An approved draft is final. If it should change, write a new draft (POST /api/drafts) and "
                "tell the owner before he sends the approved one.", {})
    if draft.status == REJECTED:
        if action == "reject":
            return f"It was already rejected; revise it with the feedback applied (POST /api/drafts/{did}/revise).", {}
        then = (": the rejected version stays in the chain" if action == "update"
                else "; the revision can then be approved")
        return (f"Revise it with the owner's feedback applied (POST /api/drafts/{did}/revise){then}. "
                f"The feedback: \"{draft.feedback}\"", {})
    if draft.status == SENT:
        return f"It was sent at {draft.sent_at:%Y-%m-%d %H:%M:%S} UTC and is final; write a new draft if needed.", {}
    return "", {}


# Locked first (apps.core.states): of two reviewers acting at once the second sees the first one's
# result, and an edit in place ("update") and an approval cannot both win.
DRAFT_STATES = StateMachine(moves=TRANSITIONS, name=lambda draft: "this draft", hint=_hint)


def _transition(*, by: Attribution, draft: Draft, action: str, details=None, **changes) -> Draft:
    """Move `draft` by `action` (409 when its state does not allow it), and log the move."""
    current, old_status = DRAFT_STATES.move(draft, action, **changes)
    log_record(action=ACTIONS[action], by=by, entity=current,
               details={"draft_id": str(current.pk), "old_status": old_status, "new_status": current.status,
                        **(details or {})})
    return current


def draft_send_action(*, draft: Draft) -> dict:
    """How the owner sends an approved draft himself. Expertly never sends anything (principle 2):
    this is an instruction, not an action the system takes."""
    to, subject, body = draft.recipient, draft.subject, draft.body
    action = {"method": "manual", "sent_by_expertly": False, "channel": draft.type, "to": to, "subject": subject,
              "body": body}
    if draft.type == DraftType.EMAIL:
        action["instruction"] = f"Copy this into your mail client and send it yourself; {NEVER_SENDS}."
        address = selectors.EMAIL_IN_TEXT.search(to or "")
        if address:
            action["mailto"] = (f"mailto:{address.group(0)}?subject={quote(subject or '')}&body={quote(body)}")
    elif draft.type == DraftType.SLACK:
        action["instruction"] = f"Paste this into Slack{f' to {to}' if to else ''} and send it yourself; {NEVER_SENDS}."
    elif draft.type == DraftType.DOCUMENT:
        action["instruction"] = f"Copy this into your document and share it yourself; {NEVER_SENDS} or shares."
    else:
        action["instruction"] = f"Keep this note where you need it; {NEVER_SENDS}."
    return action


@dataclass
class Approval:
    draft: Draft
    send_action: dict


@transaction.atomic
def draft_approve(*, by: Attribution, draft: Draft) -> Approval:
    """Approve a pending draft (the owner's decision). Nothing is sent: the answer tells the owner how
    to send it."""
    by.owner_decides("approve this draft", page=f"/drafts/{draft.pk}/")
    draft = _transition(draft=draft, action="approve", by=by, approved_at=timezone.now())
    return Approval(draft=draft, send_action=draft_send_action(draft=draft))


def _feedback_learning(draft: Draft, feedback: str) -> tuple[str, str, Person | None]:
    """(content, category, person) of the learning a rejection teaches: about the recipient when the
    draft had one (and they still exist), else about drafting."""
    kind = draft.get_type_display().lower()
    about = f"the {kind} draft" + (f" '{draft.subject}'" if draft.subject else "")
    person_id = draft.snapshot_person_id
    if person_id:
        name = draft.relationship_context["person"]["name"]
        person = selectors.person_for_draft(user_id=draft.user_id, person_id=person_id)
        return f"{feedback} (the owner's feedback on {about} to {name})", KnowledgeCategory.PERSON, person
    return f"{feedback} (the owner's feedback on {about})", KnowledgeCategory.PLAYBOOK, None


@transaction.atomic
def draft_reject(*, by: Attribution, draft: Draft, feedback: str) -> tuple[Draft, Capture]:
    """Reject a pending draft. Feedback is required (the seed's feedback loop): it is kept on the
    draft and offered to the knowledge service as a learning about the recipient (category person,
    routed to that person) or, without one, about drafting (category playbook), so the next draft is
    better. Where it lands is the knowledge service's rule. Returns (draft, capture)."""
    by.owner_decides("reject this draft", page=f"/drafts/{draft.pk}/")
    feedback = (feedback or "").strip()
    if not feedback:
        raise InvalidInput("feedback: say what is wrong with the draft, so the next one is better.",
                           details={"feedback": ["This field is required."]})
    draft = _transition(draft=draft, action="reject", by=by, feedback=feedback, details={"feedback": feedback})
    content, category, person = _feedback_learning(draft, feedback)
    target = {"target_type": RoutedToType.PERSON, "target_id": person.pk} if person else {}
    capture = knowledge_capture(by=by, content=content,
                                category=category, source_task=draft.task, source_type=KnowledgeSourceType.CONVERSATION,
                                **target)
    return draft, capture


@transaction.atomic
def draft_revise(*, by: Attribution, draft: Draft, body: str, subject: str | None = None,
                 recipient: str | None = None) -> DraftResult:
    """Write a new version of a pending or rejected draft: a new pending draft linked by
    revision_of, and the original becomes `revised` (its history is kept for learning). The
    relationship context is taken afresh for the same person, who may have been updated since
    (e.g. by the learning the rejection produced)."""
    original = DRAFT_STATES.lock(draft, "revise")  # refused before anything is written
    person = selectors.person_for_draft(user_id=by.user.pk, person_id=original.snapshot_person_id)
    recipient = recipient if recipient is not None else original.recipient
    lookup = selectors.draft_recipient_lookup(user=by.user, recipient=recipient, task=original.task, person=person,
                                              resolved_by="revision_of")
    result = _insert(by=by, type=original.type, body=body, recipient=recipient,
                     subject=subject if subject is not None else original.subject, task=original.task, lookup=lookup,
                     revision_of=original)
    _transition(draft=original, action="revise", by=by, details={"new_draft_id": str(result.draft.pk)})
    return result
