"""PostgreSQL backend that lets a foreign key carry a database-level ON DELETE action.

Tenant tables point at `public.accounts_user`. Django emulates ON DELETE in Python by querying
every related table, but from the public schema the tenant tables are not on the search_path,
so deleting a user or a tenant there would fail. Such keys (apps.core.fields.UserForeignKey)
tell Django DO_NOTHING and let PostgreSQL cascade, as the seed's schema declares.
django-tenants wraps this backend (settings.ORIGINAL_BACKEND).
"""

from django.db.backends.postgresql import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    # Always add foreign keys through _create_fk_sql, so the ON DELETE clause is never skipped.
    sql_create_column_inline_fk = None

    def _create_fk_sql(self, model, field, suffix):
        statement = super()._create_fk_sql(model, field, suffix)
        action = getattr(field, "db_on_delete", None)
        if action:
            statement.parts["deferrable"] = f" ON DELETE {action}{statement.parts['deferrable']}"
        return statement


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
