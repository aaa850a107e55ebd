"""The owner's-words extension point: one listener, called synchronously with what it was handed,
and never a silent drop when there is none."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core import owner_words


@pytest.fixture
def no_listener(monkeypatch):
    """As if apps.knowledge had not registered its listener."""
    monkeypatch.setattr(owner_words, "_listener", None)


def test_without_a_listener_the_words_are_refused_not_dropped(no_listener):
    with pytest.raises(ImproperlyConfigured, match="would be lost"):
        owner_words.owner_words_heard(by=None, text="Always cc Mary.")


def test_the_one_listener_gets_the_words_and_its_answer_comes_back(no_listener):
    heard = []

    @owner_words.owner_words_listener
    def listener(**words):
        heard.append(words)
        return ["captured"]

    source_task, source_question = object(), object()
    by = object()  # who acts: passed through as it is (core does not know Attribution)
    assert owner_words.owner_words_heard(by=by, text="Going forward, bill monthly.", source_task=source_task,
                                         source_question=source_question) == ["captured"]
    assert heard == [{"by": by, "text": "Going forward, bill monthly.", "source_task": source_task,
                      "source_question": source_question}]


def test_there_is_one_listener_not_two(no_listener):
    def first(**words):
        return []

    def second(**words):
        return []

    owner_words.owner_words_listener(first)
    owner_words.owner_words_listener(first)  # AppConfig.ready may run twice: the same one again is fine
    with pytest.raises(ImproperlyConfigured, match="one listener"):
        owner_words.owner_words_listener(second)
