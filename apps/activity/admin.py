from django.contrib import admin

from apps.core.admin import tenant_admin_site

from .attribution import request_attribution
from .models import Log


def admin_service(service, *, instance: str | None = None, result: str | None = None):
    """An AuditedModelAdmin hook (service_create, service_update or service_delete) that calls
    `service` as whoever acts in this request (request_attribution: the owner, in the admin).
    `instance` is the service's keyword for the row (update, delete); `result` the attribute of the
    service's result that is the row, when it returns more (e.g. DraftResult.draft)."""

    def hook(self, request, *args):
        row = {instance: args[0]} if instance else {}
        values = args[1 if instance else 0] if len(args) > (1 if instance else 0) else {}
        outcome = service(by=request_attribution(request), **row, **values)
        return getattr(outcome, result) if result else outcome

    return hook


def admin_action(service, *, instance: str, description: str, done: str, **arguments):
    """An admin action calling `service` for each selected row (AuditedModelAdmin.service_each: a refused
    row is an error message, the others go on), as whoever acts in this request; `instance` is the
    service's keyword for the row, `arguments` are passed as they are, `done` starts the success message."""

    @admin.action(description=description, permissions=["change"])
    def action(self, request, queryset):
        by = request_attribution(request)
        self.service_each(request, queryset, lambda row: service(by=by, **{instance: row}, **arguments), done)

    return action


@admin.register(Log, site=tenant_admin_site)
class LogAdmin(admin.ModelAdmin):
    """The audit trail is read-only, here as everywhere."""

    list_display = ["timestamp", "actor", "action", "entity_type", "entity_id", "session_id"]
    list_filter = ["actor", "entity_type", "action"]
    search_fields = ["action", "entity_id", "session_id"]
    date_hierarchy = "timestamp"
    readonly_fields = [f.name for f in Log._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
