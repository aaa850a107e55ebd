from django.contrib import admin

from apps.tenants.sites import tenant_admin_site

from .models import Actor, Log
from .services import log_record


class AuditedModelAdmin(admin.ModelAdmin):
    """Base for every tenant model in the workspace admin.

    New rows belong to the admin who made them; each add, change and delete is written to the
    audit Log (and published live) like any other state change. Status columns are read-only here:
    they move only through their app's services (the state machines).
    """

    exclude = ["user"]

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "user_id") and obj.user_id is None:
            obj.user = request.user
        super().save_model(request, obj, form, change)
        verb = "updated" if change else "created"
        log_record(
            action=f"{obj._meta.model_name}.{verb}",
            actor=Actor.USER,
            user=request.user,
            entity=obj,
            details={"via": "admin", "fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        log_record(action=f"{obj._meta.model_name}.deleted", actor=Actor.USER, user=request.user, entity=obj,
                   details={"via": "admin", "label": str(obj)[:200]})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


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
