"""Reads every domain app shares."""

from django.db import models

from .errors import InvalidInput


def reference_get(model: type[models.Model], *, user, field: str, value, queryset: models.QuerySet | None = None):
    """The row of `model` that the request body's `field` names in this workspace (None for None).

    An unknown id, or another workspace's, is the caller's input that is wrong, not the URL: a 400
    naming the field on every endpoint (never a 404, never a hint that the row exists elsewhere)."""
    if value is None:
        return None
    rows = queryset if queryset is not None else model._default_manager.all()
    if any(f.name == "search_vector" for f in model._meta.concrete_fields):
        rows = rows.defer("search_vector")
    row = rows.filter(user=user, pk=value).first()
    if row is None:
        raise InvalidInput.field(field, f"no such {model._meta.verbose_name} in this workspace: {value}")
    return row


def references_get(model: type[models.Model], *, user, field: str, values) -> dict:
    """The rows of `model` that a list in the request body names, by id, all in one query; any id
    this workspace does not have makes it a 400 naming the field and every such id."""
    rows = model._default_manager.filter(user=user, pk__in=list(values))
    if any(f.name == "search_vector" for f in model._meta.concrete_fields):
        rows = rows.defer("search_vector")
    found = {str(pk): row for pk, row in rows.in_bulk().items()}
    missing = sorted({str(v) for v in values} - set(found))
    if missing:
        noun = model._meta.verbose_name
        raise InvalidInput(f"{field}: no such {noun} in this workspace: {', '.join(missing)}", details={field: missing})
    return found
