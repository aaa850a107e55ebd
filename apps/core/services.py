"""Writes every domain app shares: the one way to update a model (HackSoft's `model_update`)."""

from collections.abc import Callable

from django.db import models


def fields_assign(instance: models.Model, changes: dict) -> list[str]:
    """Set `changes` on `instance` (unsaved); return the sorted names (attnames for relations) of the
    fields whose value really changed, so an update that changes nothing can write and log nothing."""
    changed = []
    for key, value in changes.items():
        field = instance._meta.get_field(key)
        new = value.pk if field.is_relation and value is not None else value
        if getattr(instance, field.attname) != new:
            changed.append(field.attname)
        setattr(instance, key, value)
    return sorted(changed)


def model_update(*, instance: models.Model, changes: dict,
                 log: Callable[[list[str]], object] | None = None) -> list[str]:
    """The update of every `*_update` service: assign `changes`, validate the fields that changed
    (`full_clean`: a bad value is a ValidationError naming the field, a 400 in the API), save only
    those fields (and `updated_at`), then call `log(changed)` — the service's audit Log and live
    event. An update that changes nothing writes and logs nothing. Returns the changed field names."""
    changed = fields_assign(instance, changes)
    if not changed:
        return []
    unchanged = [f.name for f in instance._meta.concrete_fields if f.attname not in changed]
    instance.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
    auto = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=[*changed, *auto])
    if log is not None:
        log(changed)
    return changed
