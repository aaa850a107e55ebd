"""Trigger phrases (seed principle 1): their detection (pure functions) and the category guessed for
auto-captured entries; where the owner speaks, they are captured (answers, task descriptions), and a
task cannot be completed while any of its trigger-phrase entries is still only captured
(trigger_entries_check): each is settled by routing it (by hand, or inline in the completion with its
knowledge_id) or dismissing it."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Log
from apps.core.errors import Conflict, InvalidInput, OwnerDecision
from apps.knowledge.models import Knowledge
from apps.knowledge.services import knowledge_capture, knowledge_dismiss, knowledge_route
from apps.knowledge.triggers import SEED_TRIGGER_PHRASES, category_guess, trigger_phrases_for, triggers_detect
from apps.questions.services import question_answer, question_create, task_block
from apps.tasks.services.tasks import task_create, task_start, task_update
from apps.workloop.services import work_complete

PHRASES = list(SEED_TRIGGER_PHRASES)


def detect(text, phrases=PHRASES):
    return [(hit.phrase, hit.sentence) for hit in triggers_detect(text=text, phrases=phrases)]


@pytest.mark.parametrize("phrase", SEED_TRIGGER_PHRASES)
def test_each_seed_phrase_is_detected_in_any_case_inside_longer_text(phrase):
    for variant in (phrase, phrase.upper(), phrase.title()):
        text = f"Thanks for the draft. OK so {variant} the invoices go to Maria. See you tomorrow."
        assert detect(text) == [(phrase, f"OK so {variant} the invoices go to Maria.")]


def test_the_seed_phrases_are_the_seven_of_the_contract():
    assert PHRASES == ["remember that", "for future reference", "here's how we do this", "going forward", "always",
                       "never", "FYI for next time"]


@pytest.mark.parametrize("text", [
    "Our always-on monitoring is fine.",
    "This is a never-ending story.",
    "Nevertheless, send it.",
    "I remembered that late.",  # "remember that" needs the whole word
    "She is alwaysly late.",
    "Use the pre-always flag.",
    "",
])
def test_no_false_positive_on_parts_of_other_words(text):
    assert detect(text) == []


def test_words_may_be_split_by_spaces_or_tabs_and_curly_apostrophes_match():
    assert detect("Here’s how  we\tdo this: first the calendar.") == [
        ("here's how we do this", "Here’s how we do this: first the calendar.")]
    assert detect("going\tforward we bill monthly") == [("going forward", "going forward we bill monthly")]


def test_one_entry_per_sentence_with_the_earliest_phrase():
    text = "Never send on Fridays, always on Mondays. Fine otherwise.\nRemember that Patrick is away."
    assert detect(text) == [("never", "Never send on Fridays, always on Mondays."),
                            ("remember that", "Remember that Patrick is away.")]


def test_a_longer_custom_phrase_wins_over_a_seed_phrase_at_the_same_place():
    phrases = [*PHRASES, "never send on fridays"]
    assert detect("Never send on Fridays.", phrases) == [("never send on fridays", "Never send on Fridays.")]


def test_owner_phrases_come_after_the_seed_ones_without_duplicates(owner):
    owner.settings = {"knowledge_triggers": ["note to self", "ALWAYS", "  "]}
    phrases = trigger_phrases_for(user=owner)
    assert phrases["builtin"] == PHRASES
    assert phrases["phrases"] == [*PHRASES, "note to self"]
    assert detect("Note to self: the CRM is slow.", phrases["phrases"]) == [
        ("note to self", "Note to self: the CRM is slow.")]


@pytest.mark.parametrize(("text", "category"), [
    ("Going forward, CRM URL: https://crm.example.com", "setting"),
    ("Remember that the wiki lives at https://wiki.example.com/home", "setting"),
    ("Here's how we do this: book the room, then send the invite.", "playbook"),
    ("Always follow the onboarding checklist.", "playbook"),
    ("Never call it Automation Designer, it is AD.", "rule"),
])
def test_category_guess_without_names(owner, text, category):
    phrase = triggers_detect(text=text, phrases=PHRASES)[0].phrase
    assert category_guess(user=owner, text=text, phrase=phrase) == category


def test_category_guess_uses_the_one_entity_named(tenant_a, owner):
    tenant_a.make("people.person", name="Patrick Fields")
    tenant_a.make("people.client", name="Liberty Hotel")
    assert category_guess(user=owner, text="Remember that Patrick likes calls.", phrase="remember that") == "person"
    assert category_guess(user=owner, text="Always bill Liberty Hotel monthly.", phrase="always") == "client"
    # two kinds of entity named: no guess beyond the default
    assert category_guess(user=owner, text="Always have Patrick approve Liberty Hotel invoices.",
                          phrase="always") == "rule"


# --- where the owner speaks, and the entries holding the completion -----------------------------

def working_task(owner, **fields):
    task = task_create(by=Attribution.claude(owner), title="Draft the Liberty follow-up", **fields)
    return task_start(task=task, by=Attribution.claude(owner))


def answered(owner, task, answer):
    _, question = task_block(task=task, by=Attribution.claude(owner), question_text="Which calendar?")
    question_answer(question=question, by=Attribution.owner(owner), answer=answer)
    return question


def test_an_answer_with_a_trigger_phrase_creates_a_captured_entry(owner):
    task = working_task(owner)
    question = answered(owner, task, "The board one. Going forward, always check the board calendar first.")
    entry = Knowledge.objects.get()
    assert (entry.source_type, entry.status, entry.trigger_phrase) == ("trigger_phrase", "captured", "going forward")
    assert entry.content == "Going forward, always check the board calendar first."
    assert entry.source_task_id == task.pk and entry.source_question_id == question.pk
    assert entry.category == "rule"  # guessed: no value, procedure or name in it (triggers.category_guess)
    log = Log.objects.get(action="knowledge.captured")
    assert log.details["source_task_id"] == str(task.pk) and log.details["trigger_phrase"] == "going forward"


def test_answers_without_a_phrase_capture_nothing_and_claude_cannot_answer(owner):
    answered(owner, working_task(owner), "The board one, it is always-on.")
    _, question = task_block(task=working_task(owner), by=Attribution.claude(owner), question_text="Which one?")
    with pytest.raises(OwnerDecision):  # only the owner answers: Claude's words are never taken for his
        question_answer(question=question, by=Attribution.claude(owner), answer="Always the board one.")
    assert not Knowledge.objects.exists()


def test_a_standalone_question_answer_is_captured_without_a_task(owner):
    question = question_create(by=Attribution.claude(owner), text="Anything else?")
    question_answer(question=question, by=Attribution.owner(owner), answer="FYI for next time: invoices go out on the 1st.")
    entry = Knowledge.objects.get()
    assert entry.source_task_id is None and entry.source_question_id == question.pk
    assert entry.trigger_phrase == "FYI for next time"


def test_owner_written_task_descriptions_are_scanned_once_per_sentence(owner):
    task = task_create(by=Attribution.owner(owner), title="Invoices",
                       description="Send the invoices. Remember that Liberty pays by wire.")
    assert list(Knowledge.objects.values_list("content", "source_task_id")) == [
        ("Remember that Liberty pays by wire.", task.pk)]
    task_update(task=task, by=Attribution.owner(owner),
                description="Send the invoices. Remember that Liberty pays by wire. Never on a Friday.")
    assert sorted(Knowledge.objects.values_list("trigger_phrase", flat=True)) == ["never", "remember that"]


def test_claude_written_descriptions_are_not_the_owner_speaking(owner):
    task = task_create(by=Attribution.claude(owner), title="x", description="Always be brief.")
    task_update(task=task, by=Attribution.claude(owner), description="Never be long.")
    assert not Knowledge.objects.exists()


def test_owner_trigger_phrases_are_detected_too(owner):
    owner.settings = {"knowledge_triggers": ["note to self"]}
    task_create(by=Attribution.owner(owner), title="x", description="Note to self: the CRM is slow on Mondays.")
    assert Knowledge.objects.get().trigger_phrase == "note to self"


def test_completion_is_refused_naming_the_phrase_then_allowed_after_routing(owner):
    task = working_task(owner)
    answered(owner, task, "Yes. Always cc Mary on Liberty emails.")
    task = task_start(task=task, by=Attribution.claude(owner))
    entry = Knowledge.objects.get()
    for body in ({"learnings_captured": False}, {"learnings_captured": True}):
        with pytest.raises(InvalidInput) as excinfo:
            work_complete(task=task, by=Attribution.claude(owner), output="Drafted", **body)
        error = excinfo.value
        assert error.code == "trigger_phrase_not_captured"
        assert '"always"' in error.message and "Always cc Mary on Liberty emails." in error.message
        assert f"knowledge {entry.pk}" in error.message
        assert f"POST /api/knowledge/{entry.pk}/route" in error.message
        assert f"POST /api/knowledge/{entry.pk}/dismiss" in error.message
        assert f'knowledge_id: "{entry.pk}"' in error.message
        assert error.details["trigger_phrases"] == ["always"]
        assert [k["id"] for k in error.details["knowledge"]] == [str(entry.pk)]
    knowledge_route(knowledge=entry, by=Attribution.owner(owner))  # by category (a rule → the Rules playbook)
    done = work_complete(task=task, by=Attribution.owner(owner), output="Drafted", learnings_captured=False)
    assert done.task.status == "completed"


def test_completion_is_allowed_after_dismissing_the_entry(owner):
    task = working_task(owner, description=None)
    answered(owner, task, "Never mind, use the usual one.")
    task = task_start(task=task, by=Attribution.claude(owner))
    knowledge_dismiss(knowledge=Knowledge.objects.get(), by=Attribution.owner(owner), reason="'Never mind' is not a rule")
    assert work_complete(task=task, by=Attribution.owner(owner), output="x", learnings_captured=False).task.status == "completed"


def test_an_unrelated_capture_for_the_task_does_not_settle_the_entry(tenant_a, owner):
    tenant_a.make("people.person", name="Mary Jones")
    task = working_task(owner)
    answered(owner, task, "Always cc Mary on Liberty emails.")
    task = task_start(task=task, by=Attribution.claude(owner))
    entry = Knowledge.objects.get()
    knowledge_capture(by=Attribution.claude(owner), content="Liberty's fiscal year ends in June", category="rule",
                      source_task=task)
    with pytest.raises(InvalidInput) as excinfo:
        work_complete(task=task, by=Attribution.claude(owner), output="x", learnings_captured=True)
    assert excinfo.value.code == "trigger_phrase_not_captured" and str(entry.pk) in excinfo.value.message
    knowledge_route(knowledge=entry, by=Attribution.owner(owner), category="person")  # Mary, by name
    assert work_complete(task=task, by=Attribution.owner(owner), output="x", learnings_captured=True).task.status == "completed"
    entry.refresh_from_db()
    assert entry.status == "routed" and entry.routed_to_type == "person"


def test_inline_knowledge_about_something_else_does_not_settle_the_entry(owner):
    task = working_task(owner)
    answered(owner, task, "Going forward, reports are in UTC.")
    task = task_start(task=task, by=Attribution.claude(owner))
    with pytest.raises(InvalidInput) as excinfo:
        work_complete(task=task, by=Attribution.claude(owner), output="x", learnings_captured=None,
                      knowledge=[{"content": "Reports are in UTC", "category": "setting"}])
    assert excinfo.value.code == "trigger_phrase_not_captured"
    assert Knowledge.objects.count() == 1 and Knowledge.objects.get().status == "captured"  # nothing kept


def test_an_inline_item_with_knowledge_id_routes_that_entry_and_settles_it(owner):
    task = working_task(owner)
    answered(owner, task, "Going forward, reports are in UTC.")
    task = task_start(task=task, by=Attribution.claude(owner))
    entry = Knowledge.objects.get()
    done = work_complete(task=task, by=Attribution.claude(owner), output="x", learnings_captured=None,
                         knowledge=[{"knowledge_id": entry.pk, "category": "setting"},
                                    {"content": "The board calendar is the one to check", "category": "rule"}])
    assert done.task.status == "completed"
    assert [k.pk for k in done.knowledge][0] == entry.pk and len(done.knowledge) == 2
    entry.refresh_from_db()
    assert (entry.status, entry.category, entry.routed_to_type) == ("routed", "setting", "user_settings")
    assert Knowledge.objects.count() == 2  # the entry was routed, not captured again
    assert Log.objects.get(action="knowledge.routed", entity_id=entry.pk).details["source_task_id"] == str(task.pk)


def test_every_open_entry_must_be_settled_not_just_one(owner):
    task = working_task(owner, description=None)
    answered(owner, task, "Going forward, reports are in UTC. Never send them on Fridays.")
    task = task_start(task=task, by=Attribution.claude(owner))
    first, second = Knowledge.objects.order_by("learned_at", "created_at")
    with pytest.raises(InvalidInput) as excinfo:
        work_complete(task=task, by=Attribution.claude(owner), output="x", learnings_captured=None,
                      knowledge=[{"knowledge_id": first.pk, "category": "setting"}])
    assert [k["id"] for k in excinfo.value.details["knowledge"]] == [str(second.pk)]
    assert str(second.pk) in excinfo.value.message and str(first.pk) not in excinfo.value.message
    knowledge_dismiss(knowledge=second, by=Attribution.owner(owner), reason="Already in the Rules playbook")
    done = work_complete(task=task, by=Attribution.owner(owner), output="x", learnings_captured=None,
                         knowledge=[{"knowledge_id": first.pk, "category": "setting"}])
    assert done.task.status == "completed"


def test_an_inline_knowledge_id_must_be_an_open_entry_of_this_task(owner):
    task, other = working_task(owner), working_task(owner)
    answered(owner, other, "Always cc Mary.")
    foreign = Knowledge.objects.get()
    with pytest.raises(InvalidInput) as excinfo:
        work_complete(task=task, by=Attribution.claude(owner), output="x", learnings_captured=None,
                      knowledge=[{"knowledge_id": foreign.pk, "category": "rule"}])
    assert excinfo.value.message.startswith("knowledge_id:")
    knowledge_dismiss(knowledge=foreign, by=Attribution.owner(owner), reason="Not a rule")
    other = task_start(task=other, by=Attribution.owner(owner))
    with pytest.raises(Conflict):  # already dismissed: nothing to route
        work_complete(task=other, by=Attribution.claude(owner), output="x", learnings_captured=None,
                      knowledge=[{"knowledge_id": foreign.pk}])
    assert Knowledge.objects.get().status == "dismissed"


def test_a_question_blocking_two_tasks_holds_both(owner):
    first, second = working_task(owner), working_task(owner)
    question = question_create(by=Attribution.claude(owner), text="Which calendar?", tasks=[first, second])
    question_answer(question=question, by=Attribution.owner(owner), answer="Always the board one.")
    second = task_start(task=second, by=Attribution.owner(owner))
    with pytest.raises(InvalidInput):
        work_complete(task=second, by=Attribution.claude(owner), output="x", learnings_captured=False)
    assert Knowledge.objects.count() == 1  # one entry, shared through the question
