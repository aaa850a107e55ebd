"""The state machines of the domain's rows (a task's, a draft's, a playbook's status).

Every move is the same three steps: lock the row (SELECT … FOR UPDATE), check the state found there
against the moves the machine allows, then set the new state and save. Of two callers racing on one
row, the second waits for the first and then sees its result, so it is refused rather than both
winning. A refusal is a 409 (Conflict, code invalid_transition) that says the current state and what
to do instead; the app says how its row is named and what the way out is.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from django.db import models

from .error_codes import ErrorCode
from .errors import Conflict


def _no_hint(row, action: str) -> str:
    return ""


@dataclass(frozen=True)
class StateMachine:
    moves: dict[str, tuple[Collection[str], str]]  # action: (states it may start from, state it leads to)
    name: Callable[[models.Model], str]  # the row as a refusal names it, e.g. "task 'Draft the brief'"
    hint: Callable[[models.Model, str], str | tuple[str, dict]] = _no_hint  # the way out (and ids for it)
    verbs: dict[str, str] = field(default_factory=dict)  # how a refusal says an action ("update" → "edit")
    defer: tuple[str, ...] = ()  # columns the lock need not read
    details_action: bool = True  # whether a refusal's details name the action (the playbooks' API never did)
    guard: Callable[[models.Model, str], None] | None = None  # may refuse first, with its own error

    def lock(self, row: models.Model, action: str) -> models.Model:
        """`row` re-read and locked for this transaction, if its current state allows `action`;
        else 409 naming the state, what is allowed and the way out."""
        allowed = self.moves[action][0]
        current = type(row)._default_manager.select_for_update().defer(*self.defer).get(pk=row.pk)
        if self.guard is not None:
            self.guard(current, action)
        if current.status in allowed:
            return current
        hint = self.hint(current, action)
        text, extra = hint if isinstance(hint, tuple) else (hint, {})
        verb = self.verbs.get(action, action)
        raise Conflict(
            f"Cannot {verb} {self.name(current)}: it is {current.status}. {text}".strip(),
            code=ErrorCode.INVALID_TRANSITION,
            details={f"{current._meta.model_name}_id": str(current.pk), "status": current.status,
                     **({"action": action} if self.details_action else {}), "allowed_from": sorted(allowed), **extra},
        )

    def move(self, row: models.Model, action: str, **changes) -> tuple[models.Model, str]:
        """Lock `row` (409 when its state does not allow `action`), move it to the action's state with
        `changes`, save those fields; returns the row and the state it left."""
        current = self.lock(row, action)
        previous, current.status = current.status, self.moves[action][1]
        for key, value in changes.items():
            setattr(current, key, value)
        current.save(update_fields=["status", "updated_at", *changes])
        return current, previous
