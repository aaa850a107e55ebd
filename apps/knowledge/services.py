"""Writes for knowledge: capturing what was learned and routing it to the right entity (seed
principle 1, "The Learning Loop"; routing table in apps.knowledge.routing).

Every change writes the audit Log with the source task id and publishes its event on commit:
`knowledge.captured` (always, first), then `knowledge.routed` or `knowledge.pending_review`, or
later `knowledge.dismissed`. Routing never guesses: when the content names no entity or several,
the entry waits in `pending_review` with the candidates listed, and nothing is written anywhere.

Trigger-phrase entries (knowledge_triggers_capture) are only stored, status `captured`: while any
of them is still captured its task cannot be completed. Each is settled by routing it
(knowledge_route, or inline in the completion with its knowledge_id: knowledge_inline_store) or
dismissing it (knowledge_dismiss); see apps.knowledge.triggers.trigger_entries_check.
"""

from dataclasses import dataclass

from django.db import transaction

from apps.accounts.models import User
from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.core.services import model_update

from . import selectors
from .models import Knowledge, KnowledgeCategory, KnowledgeSourceType, KnowledgeStatus
from .routing import knowledge_route_to
from .targets import (
    CATEGORY_TARGET_TYPES,
    NAMED_CATEGORIES,
    category_for_target,
    target_get,
    target_resolve,
    target_type_check,
)
from .triggers import USER_TRIGGERS_SETTING, category_guess, phrase_clean, trigger_phrases_for, triggers_detect

ROUTABLE = selectors.AWAITING  # captured or pending_review: still to be routed or dismissed


@dataclass
class Capture:
    """The seed's answer to a capture: {knowledge, routed_to: {type, id, field_updated}, action_taken}."""

    knowledge: Knowledge
    routed_to: dict | None
    action_taken: str


def _task_id(knowledge: Knowledge) -> str | None:
    return str(knowledge.source_task_id) if knowledge.source_task_id else None


def _check_content(content: str | None) -> str:
    content = (content or "").strip()
    if not content:
        raise InvalidInput("content: say what was learned.", details={"content": ["This field may not be blank."]})
    return content


def _target_id_needs_type(target_id) -> None:
    if target_id is not None:
        raise InvalidInput("target_type: required with target_id.", details={"target_type": ["Required with target_id."]})


def _check_category(category: str) -> None:
    if category not in KnowledgeCategory.values:
        raise InvalidInput(f"category: use one of {', '.join(KnowledgeCategory.values)}.",
                           details={"category": KnowledgeCategory.values})


def _pending(*, by: Attribution, knowledge: Knowledge, candidates: list[dict], reason: str) -> Capture:
    knowledge.status = KnowledgeStatus.PENDING_REVIEW
    knowledge.candidates = candidates
    knowledge.review_note = reason
    knowledge.save(update_fields=["status", "candidates", "review_note", "category"])
    log_record(action=LogAction.KNOWLEDGE_PENDING_REVIEW, by=by, entity=knowledge,
               details={"source_task_id": _task_id(knowledge), "category": knowledge.category, "reason": reason,
                        "candidates": candidates})
    return Capture(knowledge, None, f"Not routed: {reason} It waits for review: route it with POST "
                                    f"/api/knowledge/{knowledge.pk}/route {{target_type, target_id}} or dismiss it.")


def _route(*, by: Attribution, knowledge: Knowledge, target_type: str | None, target) -> Capture:
    """Route to the explicit target, else to the one entity the content names, else pending_review."""
    if target_type is None:
        target_type = next(iter(CATEGORY_TARGET_TYPES[knowledge.category]))
        if knowledge.category in NAMED_CATEGORIES:
            resolution = target_resolve(user=by.user, category=knowledge.category, content=knowledge.content)
            if resolution.target is None:
                return _pending(knowledge=knowledge, by=by, candidates=resolution.candidates, reason=resolution.reason)
            target = resolution.target
    routed = knowledge_route_to(knowledge=knowledge, target_type=target_type, target=target, by=by)
    knowledge.status = KnowledgeStatus.ROUTED
    knowledge.routed_to_type, knowledge.routed_to_id, knowledge.routed_field = routed.type, routed.id, routed.field_updated
    knowledge.review_note = None
    knowledge.save(update_fields=["status", "routed_to_type", "routed_to_id", "routed_field", "review_note", "category"])
    log_record(action=LogAction.KNOWLEDGE_ROUTED, by=by, entity=knowledge,
               details={"source_task_id": _task_id(knowledge), "category": knowledge.category,
                        "routed_to": routed.as_dict(), "action_taken": routed.action_taken})
    return Capture(knowledge, routed.as_dict(), routed.action_taken)


@transaction.atomic
def knowledge_capture(*, by: Attribution, content: str, category: str, source_task=None, source_question=None,
                      source_type: str | None = None, trigger_phrase: str | None = None,
                      target_type: str | None = None, target_id=None, route: bool = True) -> Capture:
    """Store a learning with its source, so it cannot be lost (seed principle 1), log it, and route it.

    With `target_type` (and `target_id` for a person, client or project) the target is checked —
    it must suit the category (400 naming target_type) and exist in this workspace (400 naming target_id) — and
    used as given. Without, the target is found from the names in the content (apps.knowledge.targets);
    none or several → pending_review with the candidates, nothing written. `route=False` only
    stores it (status captured): trigger-phrase entries wait for someone to decide.
    `source_type` defaults to trigger_phrase with a phrase, task with a task, else conversation.
    """
    content = _check_content(content)
    _check_category(category)
    target = None
    if target_type is not None:
        target_type_check(category=category, target_type=target_type)
        target = target_get(user=by.user, target_type=target_type, target_id=target_id)
    else:
        _target_id_needs_type(target_id)
    if source_type is None:
        source_type = (KnowledgeSourceType.TRIGGER_PHRASE if trigger_phrase
                       else KnowledgeSourceType.TASK if source_task else KnowledgeSourceType.CONVERSATION)
    knowledge = Knowledge.objects.create(
        user=by.user, content=content, category=category, source_task=source_task, source_question=source_question,
        source_type=source_type, trigger_phrase=(trigger_phrase or "").strip() or None,
    )
    log_record(
        action=LogAction.KNOWLEDGE_CAPTURED, by=by, entity=knowledge,
        details={"category": category, "source_task_id": _task_id(knowledge), "source_type": source_type,
                 "trigger_phrase": knowledge.trigger_phrase,
                 "source_question_id": str(source_question.pk) if source_question else None},
    )
    if not route:
        return Capture(knowledge, None, f"Captured (not routed yet): route it with POST "
                                        f"/api/knowledge/{knowledge.pk}/route or dismiss it.")
    return _route(knowledge=knowledge, by=by, target_type=target_type, target=target)


def _lock_routable(knowledge: Knowledge, verb: str) -> Knowledge:
    current = Knowledge.objects.select_for_update().get(pk=knowledge.pk)
    if current.status not in ROUTABLE:
        where = f" to {current.routed_to_type} {current.routed_to_id}" if current.status == KnowledgeStatus.ROUTED else ""
        raise Conflict(f"Cannot {verb} this knowledge: it is already {current.status}{where}. Only captured or "
                       "pending_review entries can be routed or dismissed; capture a new learning if needed.",
                       code=ErrorCode.INVALID_TRANSITION,
                       details={"knowledge_id": str(current.pk), "status": current.status,
                                "allowed_from": list(ROUTABLE)})
    return current


@transaction.atomic
def knowledge_route(*, by: Attribution, knowledge: Knowledge, target_type: str | None = None, target_id=None,
                    category: str | None = None) -> Capture:
    """Route a captured or pending_review entry by hand (409 for routed or dismissed ones). A
    trigger-phrase entry routed here no longer holds its task's completion, even if it lands in
    pending_review.

    `category` may correct the entry's category first. With `target_type` the entry goes there
    (its category follows the target: a person target makes it a person learning; a rule stays a
    rule on a playbook); without, it is routed by category as a capture would be.
    """
    knowledge = _lock_routable(knowledge, "route")
    if knowledge.status == KnowledgeStatus.PENDING_REVIEW:  # no target could be told apart: the owner's call
        by.owner_decides("route a learning that is pending review", page=f"/knowledge/{knowledge.pk}/")
    if category is not None:
        _check_category(category)
        knowledge.category = category
    target = None
    if target_type is not None:
        if category is not None:
            target_type_check(category=category, target_type=target_type)
        target = target_get(user=by.user, target_type=target_type, target_id=target_id)
        knowledge.category = category_for_target(category=knowledge.category, target_type=target_type)
    else:
        _target_id_needs_type(target_id)
    return _route(knowledge=knowledge, by=by, target_type=target_type, target=target)


@transaction.atomic
def knowledge_dismiss(*, by: Attribution, knowledge: Knowledge, reason: str) -> Knowledge:
    """Drop a captured or pending_review entry that is not worth keeping, saying why (409 for
    routed ones: they are already written into an entity). A dismissed trigger-phrase entry no
    longer holds its task's completion."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: say why it is not worth keeping.", details={"reason": ["Required."]})
    knowledge = _lock_routable(knowledge, "dismiss")
    if knowledge.status == KnowledgeStatus.PENDING_REVIEW:
        by.owner_decides("dismiss a learning that is pending review", page=f"/knowledge/{knowledge.pk}/")
    knowledge.status = KnowledgeStatus.DISMISSED
    knowledge.dismissed_reason = reason
    knowledge.save(update_fields=["status", "dismissed_reason"])
    log_record(action=LogAction.KNOWLEDGE_DISMISSED, by=by, entity=knowledge,
               details={"source_task_id": _task_id(knowledge), "reason": reason})
    return knowledge


KNOWLEDGE_EDITABLE_FIELDS = ("content", "category", "source_type", "trigger_phrase", "source_task")


@transaction.atomic
def knowledge_update(*, by: Attribution, knowledge: Knowledge, **changes) -> Knowledge:
    """Correct an entry still waiting for a decision (captured or pending_review): any of its content,
    category, source_type, trigger_phrase and source_task. A routed or dismissed entry is the audit trail
    of what was learned and what it changed where (or why nothing did): 409. An edit that changes
    nothing writes and logs nothing."""
    unknown = set(changes) - set(KNOWLEDGE_EDITABLE_FIELDS)
    if unknown:  # a programming error, not the caller's input
        raise TypeError(f"Not editable knowledge fields: {sorted(unknown)}")
    if "content" in changes:
        _check_content(changes["content"])
    if "category" in changes:
        _check_category(changes["category"])
    knowledge = _lock_routable(knowledge, "edit")
    model_update(instance=knowledge, changes=changes, log=lambda changed: log_record(
        action=LogAction.KNOWLEDGE_UPDATED, by=by, entity=knowledge,
        details={"source_task_id": _task_id(knowledge), "fields": changed}))
    return knowledge


@transaction.atomic
def knowledge_inline_store(*, by: Attribution, task, items: list[dict]) -> list[Knowledge]:
    """The learnings given inline when completing `task`, in order. An item with `knowledge_id`
    routes that entry of the task (by its category, which the item may correct), as POST
    /api/knowledge/{id}/route would: this is how a completion settles a trigger-phrase entry
    (apps.knowledge.triggers.trigger_entries_check). An item without is a new learning, captured
    and routed with the task as its source. An id that is no entry of this task is a 400 naming
    knowledge_id; an entry already routed or dismissed is a 409."""
    stored = []
    for item in items:
        knowledge_id = item.get("knowledge_id")
        if knowledge_id is None:
            stored.append(knowledge_capture(by=by, content=item.get("content"), category=item.get("category"),
                                            source_task=task).knowledge)
            continue
        entry = selectors.knowledge_of_task(task=task, knowledge_id=knowledge_id)
        if entry is None:
            raise InvalidInput(f"knowledge_id: {knowledge_id} is no knowledge entry of this task (see GET "
                               f"/api/knowledge?source_task_id={task.pk}).", details={"knowledge_id": [str(knowledge_id)]})
        stored.append(knowledge_route(knowledge=entry, by=by, category=item.get("category")).knowledge)
    return stored


@transaction.atomic
def knowledge_triggers_capture(*, by: Attribution, text: str, source_task=None, source_question=None) -> list[Knowledge]:
    """Capture every sentence of the owner's `text` that holds a trigger phrase (seed's or the
    owner's own), as status captured, so it cannot be lost. The listener of
    apps.core.owner_words (registered in KnowledgeConfig.ready): tasks and questions, where the
    owner speaks, sit below knowledge and hand their words on through owner_words_heard, in their
    own transaction. Heard in answers to questions (source_question; source_task is the oldest
    task it blocked) and task descriptions the owner writes. The same sentence from the same
    source is captured once. Each entry holds its task's completion until it is routed or
    dismissed (trigger_entries_check)."""
    hits = triggers_detect(text=text, phrases=trigger_phrases_for(user=by.user)["phrases"])
    if not hits:
        return []
    if source_question is not None and source_task is None:
        source_task = selectors.knowledge_question_first_task(question=source_question)
    already = set(Knowledge.objects.filter(user=by.user, source_type=KnowledgeSourceType.TRIGGER_PHRASE,
                                           source_task=source_task, source_question=source_question)
                  .values_list("content", flat=True))
    captured = []
    for hit in hits:
        if hit.sentence in already:
            continue
        already.add(hit.sentence)
        captured.append(knowledge_capture(
            by=by, content=hit.sentence, category=category_guess(user=by.user, text=hit.sentence, phrase=hit.phrase),
            source_task=source_task, source_question=source_question, source_type=KnowledgeSourceType.TRIGGER_PHRASE,
            trigger_phrase=hit.phrase, route=False,
        ).knowledge)
    return captured


@transaction.atomic
def knowledge_trigger_add(*, by: Attribution, phrase: str) -> tuple[dict, bool]:
    """Add one of the owner's own trigger phrases (kept in User.settings). Adding a phrase already
    known (any case) changes nothing. Returns (the phrases, whether it was added)."""
    phrase = phrase_clean(phrase)
    locked = User.objects.select_for_update().get(pk=by.user.pk)
    if phrase.casefold() in {p.casefold() for p in trigger_phrases_for(user=locked)["phrases"]}:
        by.user.settings = locked.settings
        return trigger_phrases_for(user=locked), False
    settings = dict(locked.settings or {})
    settings[USER_TRIGGERS_SETTING] = [*settings.get(USER_TRIGGERS_SETTING, []), phrase]
    locked.settings = settings
    locked.save(update_fields=["settings", "updated_at"])
    by.user.settings = settings
    log_record(action=LogAction.KNOWLEDGE_TRIGGER_ADDED, by=by, entity_type="user", entity_id=by.user.pk,
               details={"phrase": phrase})
    return trigger_phrases_for(user=locked), True

