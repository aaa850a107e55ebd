"""Trigger-phrase detection (pure functions) and the category guessed for auto-captured entries."""

import pytest

from apps.knowledge.triggers import SEED_TRIGGER_PHRASES, category_guess, trigger_phrases_for, triggers_detect

from .makers import make_client, make_person

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


def test_category_guess_uses_the_one_entity_named(owner):
    make_person(owner, "Patrick Fields")
    make_client(owner, "Liberty Hotel")
    assert category_guess(user=owner, text="Remember that Patrick likes calls.", phrase="remember that") == "person"
    assert category_guess(user=owner, text="Always bill Liberty Hotel monthly.", phrase="always") == "client"
    # two kinds of entity named: no guess beyond the default
    assert category_guess(user=owner, text="Always have Patrick approve Liberty Hotel invoices.",
                          phrase="always") == "rule"
