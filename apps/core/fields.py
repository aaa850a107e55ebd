"""The foreign key from a tenant table to its user (who owns the row inside the tenant)."""

from django.conf import settings
from django.db import models

ON_DELETE_ACTIONS = ("CASCADE", "SET NULL")


class UserForeignKey(models.ForeignKey):
    """A key to `accounts.User` whose ON DELETE is enforced by PostgreSQL, not by Django.

    Users live in the public schema and tenant tables in their own schema; see
    apps/core/db_backend/base.py for why Django must not follow this relation itself.
    """

    def __init__(self, *args, db_on_delete: str = "CASCADE", **kwargs):
        if db_on_delete not in ON_DELETE_ACTIONS:
            raise ValueError(f"db_on_delete must be one of {ON_DELETE_ACTIONS}")
        kwargs["to"] = settings.AUTH_USER_MODEL
        kwargs["on_delete"] = models.DO_NOTHING
        if db_on_delete == "SET NULL":
            kwargs["null"] = True
        self.db_on_delete = db_on_delete
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("on_delete", None)
        kwargs.pop("to", None)
        kwargs["db_on_delete"] = self.db_on_delete
        return name, path, args, kwargs
