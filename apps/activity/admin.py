from django.contrib import admin

from apps.core.admin import tenant_admin_site

from .models import Log


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
