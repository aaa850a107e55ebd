"""Knowledge is the listener of the owner's words (apps.core.owner_words, registered in
KnowledgeConfig.ready): what tasks and questions hand on is captured at once, in their transaction."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from apps.activity.attribution import Attribution
from apps.core import owner_words
from apps.knowledge.models import Knowledge
from apps.knowledge.services import knowledge_triggers_capture
from apps.tasks.models import Task
from apps.tasks.services.tasks import task_create


def test_knowledge_registers_its_capture_as_the_listener():
    assert owner_words._listener is knowledge_triggers_capture


def test_the_owners_words_are_captured_in_the_same_transaction(owner):
    with pytest.raises(RuntimeError), transaction.atomic():
        task = task_create(by=Attribution.owner(owner), title="Invoices", description="Always cc Mary on invoices.")
        entry = Knowledge.objects.get()  # captured already, before the write that carried the words commits
        assert (entry.source_task_id, entry.trigger_phrase) == (task.pk, "always")
        raise RuntimeError("the task's write fails after the capture")
    assert not Task.objects.exists() and not Knowledge.objects.exists()  # rolled back together


def test_without_a_listener_the_owners_write_fails_whole(owner, monkeypatch):
    monkeypatch.setattr(owner_words, "_listener", None)
    with pytest.raises(ImproperlyConfigured):
        task_create(by=Attribution.owner(owner), title="Invoices", description="Always cc Mary on invoices.")
    assert not Task.objects.exists()
