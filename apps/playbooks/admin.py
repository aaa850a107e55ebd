from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Playbook


@admin.register(Playbook, site=tenant_admin_site)
class PlaybookAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "must_consult", "status", "use_count", "last_used"]
    list_filter = ["status", "must_consult", "category"]
    search_fields = ["name", "description", "content"]
    autocomplete_fields = ["source_task"]
    readonly_fields = ["status", "use_count", "last_used", "created_at", "updated_at"]
