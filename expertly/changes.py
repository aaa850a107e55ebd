"""Partial updates: every `*_update` service sets only what the caller sent and logs what changed."""


def fields_assign(instance, changes: dict) -> list[str]:
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
