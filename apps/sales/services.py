"""Every write to sales opportunities, and the pipeline's stage rules (seed: sales_opportunities).

    lead ──▶ qualified ──▶ proposal ──▶ negotiation ──▶ closed_won
      └──────────┴─────────────┴──────────────┴───────▶ closed_lost

A deal moves one stage at a time; it can be lost at any open stage and won only from negotiation.
Closing sets `closed_at` (and probability 100 / 0); a closed deal moves no more. An illegal move is a
409 naming the current stage and the allowed next stages. Each write logs and publishes on commit.
"""

from django.db import transaction
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.core.selectors import reference_get
from apps.core.services import model_update
from apps.people.models import Client

from .models import CLOSED_STAGES, SalesOpportunity, Stage

OPPORTUNITY_FIELDS = ("name", "description", "value", "probability", "expected_close_date", "last_activity",
                      "next_action", "next_action_date", "notes")
NEXT_STAGE = {Stage.LEAD: Stage.QUALIFIED, Stage.QUALIFIED: Stage.PROPOSAL, Stage.PROPOSAL: Stage.NEGOTIATION}
CLOSING_PROBABILITY = {Stage.CLOSED_WON: 100, Stage.CLOSED_LOST: 0}


def stages_allowed_next(stage: str) -> list[str]:
    """Where an opportunity at `stage` may go next (nowhere once closed)."""
    if stage in CLOSED_STAGES:
        return []
    if stage == Stage.NEGOTIATION:
        return [Stage.CLOSED_WON, Stage.CLOSED_LOST]
    return [NEXT_STAGE[stage], Stage.CLOSED_LOST]


def _stage_checked(stage: str | None) -> None:
    if stage in CLOSED_STAGES:
        problem = "an opportunity starts open; close it with PUT /api/sales/{id}/advance"
        raise InvalidInput(f"stage: {problem}", details={"stage": [problem]})


@transaction.atomic
def opportunity_create(*, by: Attribution, name: str, client_id=None, stage: str = Stage.LEAD,
                       **fields) -> SalesOpportunity:
    """A new opportunity at an open stage (lead unless told); fields as in OPPORTUNITY_FIELDS."""
    _stage_checked(stage)
    client = reference_get(Client, user=by.user, field="client_id", value=client_id)
    opportunity = SalesOpportunity.objects.create(user=by.user, name=name, client=client, stage=stage or Stage.LEAD,
                                                  **{k: v for k, v in fields.items() if v is not None})
    log_record(action=LogAction.OPPORTUNITY_CREATED, by=by, entity=opportunity,
               details={"name": name, "stage": opportunity.stage, "value": _money(opportunity.value),
                        "client_id": str(client.pk) if client else None})
    return opportunity


def _money(value) -> str | None:
    return None if value is None else str(value)


def _locked(opportunity: SalesOpportunity) -> SalesOpportunity:
    return SalesOpportunity.objects.select_for_update().get(pk=opportunity.pk)


@transaction.atomic
def opportunity_update(*, opportunity: SalesOpportunity, by: Attribution, **changes) -> SalesOpportunity:
    """Change an opportunity's fields (any subset of OPPORTUNITY_FIELDS and client_id). The stage moves
    only through opportunity_advance. A change that changes nothing logs nothing."""
    current = _locked(opportunity)
    if "client_id" in changes:
        changes["client"] = reference_get(Client, user=by.user, field="client_id", value=changes.pop("client_id"))
    model_update(instance=current, changes=changes, log=lambda changed: log_record(
        action=LogAction.OPPORTUNITY_UPDATED, by=by, entity=current, details={"name": current.name, "fields": changed}))
    return current


@transaction.atomic
def opportunity_delete(*, opportunity: SalesOpportunity, by: Attribution) -> None:
    """Delete an opportunity (entered by mistake; a lost deal is closed_lost, not deleted)."""
    log_record(action=LogAction.OPPORTUNITY_DELETED, by=by, entity=opportunity,
               details={"name": opportunity.name, "stage": opportunity.stage})
    opportunity.delete()


@transaction.atomic
def opportunity_advance(*, opportunity: SalesOpportunity, by: Attribution, stage: str | None = None,
                        reason: str | None = None) -> SalesOpportunity:
    """Move an opportunity one stage on: to `stage` if given, else to the one next stage (from
    negotiation the caller must say closed_won or closed_lost). Skipping a stage, going back or moving
    a closed deal is a 409 naming the current stage and the allowed next ones. Closing sets closed_at
    and probability (100 won, 0 lost) and keeps the reason in the notes. The row is locked first, so
    two concurrent advances move it two stages or the second is refused, never both from one stage."""
    current = _locked(opportunity)
    allowed = stages_allowed_next(current.stage)
    if stage is None and current.stage in NEXT_STAGE:
        stage = NEXT_STAGE[current.stage]
    elif stage is None and current.stage == Stage.NEGOTIATION:
        problem = "say how it closed: closed_won or closed_lost"
        raise InvalidInput(f"stage: {problem}", details={"stage": [problem], "allowed_next_stages": allowed})
    if stage not in allowed:
        if current.stage in CLOSED_STAGES:
            why = f"it is already {current.stage} (closed at {current.closed_at:%Y-%m-%d %H:%M} UTC) and moves no more"
        elif stage == current.stage:
            why = f"it is already at {stage}; the next stage is one of: {', '.join(allowed)}"
        else:
            why = f"it is at {current.stage}; the next stage is one of: {', '.join(allowed)}"
        target = f"to {stage}" if stage else "on"
        raise Conflict(f"Cannot move '{current.name}' {target}: {why}.", code=ErrorCode.INVALID_STAGE_TRANSITION,
                       details={"opportunity_id": str(current.pk), "stage": current.stage, "requested_stage": stage,
                                "allowed_next_stages": allowed})
    old_stage, now = current.stage, timezone.now()
    current.stage = stage
    current.last_activity = now
    update = ["stage", "last_activity", "updated_at"]
    if stage in CLOSED_STAGES:
        current.closed_at = now
        current.probability = CLOSING_PROBABILITY[stage]
        update += ["closed_at", "probability"]
        if reason:
            line = f"[{now:%Y-%m-%d}] {Stage(stage).label}: {reason}"
            current.notes = f"{current.notes}\n\n{line}" if current.notes else line
            update.append("notes")
    current.save(update_fields=update)
    log_record(action=LogAction.OPPORTUNITY_ADVANCED, event_type="opportunity.stage_changed", by=by, entity=current,
               details={"name": current.name, "old_stage": old_stage, "new_stage": stage, "reason": reason,
                        "value": _money(current.value), "closed_at": current.closed_at.isoformat()
                        if current.closed_at else None})
    return current
