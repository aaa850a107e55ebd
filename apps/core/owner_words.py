"""Where the owner's own words are handed on: the one extension point between the apps the owner
writes in and the app that learns from what they write.

Why this one inversion exists: the owner writes in tasks (descriptions) and questions (answers),
and a sentence of theirs with a trigger phrase ("going forward", "always" …) must be captured as
Knowledge (seed principle 1: "Watch for trigger phrases — … = must capture"). But knowledge sits
ABOVE tasks and questions in the domain order: it routes learnings into people, projects and
playbooks and reads tasks. Tasks and questions may not import it (that is an upward import and a
cycle), so they say here, in core, below all of them, that the owner's words were heard, and
knowledge registers the one listener when Django starts (apps.knowledge.apps.KnowledgeConfig.ready).

The listener runs synchronously, in the caller's transaction: what it captures commits or rolls
back with the write that carried the words. No listener registered is an error
(ImproperlyConfigured), never a silent drop: the owner's words must not be lost.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_listener: Callable | None = None


def owner_words_listener(func: Callable) -> Callable:
    """Register `func(*, by, text, source_task, source_question)` as the one
    listener of owner_words_heard (usable as a decorator). Registering the same function again is
    harmless (AppConfig.ready may run twice); a second, different listener is a programming error."""
    global _listener
    if _listener is not None and _listener is not func:
        raise ImproperlyConfigured(f"The owner's words already go to {_listener.__module__}.{_listener.__qualname__}; "
                                   f"there is one listener, not also {func.__module__}.{func.__qualname__}.")
    _listener = func
    return func


def owner_words_heard(*, by, text: str, source_task=None, source_question=None):
    """The owner wrote `text` (a task description, an answer to a question): hand it to the
    registered listener now, in the current transaction, and return what it returns (the entries
    it captured). `by` is who acts (apps.activity.attribution.Attribution, which core does not
    import); `source_task` / `source_question` say where the words were written."""
    if _listener is None:
        raise ImproperlyConfigured("No listener for the owner's words: apps.knowledge must be installed (its "
                                   "AppConfig.ready registers one), or what the owner says would be lost.")
    return _listener(by=by, text=text, source_task=source_task, source_question=source_question)
