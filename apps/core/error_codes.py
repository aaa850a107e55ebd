"""Every error code the API answers with, in one enumeration, so clients can rely on them
(saleor keeps one per app; here they are few enough for one)."""

from django.db import models


class ErrorCode(models.TextChoices):
    # generic, one per HTTP status
    INVALID_REQUEST = "invalid_request"
    VALIDATION_ERROR = "validation_error"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_API_KEY = "invalid_api_key"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    OWNER_DECISION = "owner_decision"  # only the owner makes this decision; an agent key may not
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    SERVER_ERROR = "server_error"
    # state machines
    INVALID_TRANSITION = "invalid_transition"
    INVALID_STAGE_TRANSITION = "invalid_stage_transition"
    RECURRING_INACTIVE = "recurring_inactive"
    NOT_NEXT_OCCURRENCE = "not_next_occurrence"
    PAUSED = "paused"  # the owner paused Claude for the workspace
    STOPPED_BY_OWNER = "stopped_by_owner"  # the owner stopped this task while Claude worked on it
    # the learning loop
    KNOWLEDGE_STEP_REQUIRED = "knowledge_step_required"
    TRIGGER_PHRASE_NOT_CAPTURED = "trigger_phrase_not_captured"
    AMBIGUOUS_NAME = "ambiguous_name"
    # deletes refused while something still points at the row
    CLIENT_IN_USE = "client_in_use"
    PERSON_IN_USE = "person_in_use"
    PROJECT_IN_USE = "project_in_use"
    # workspaces and accounts
    INVALID_SLUG = "invalid_slug"
    RESERVED_SLUG = "reserved_slug"
    INVALID_TIMEZONE = "invalid_timezone"
    UNKNOWN_HOST = "unknown_host"
