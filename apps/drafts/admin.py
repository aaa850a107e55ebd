from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Draft


@admin.register(Draft, site=tenant_admin_site)
class DraftAdmin(AuditedModelAdmin):
    list_display = ["__str__", "type", "recipient", "status", "created_at", "approved_at"]
    list_filter = ["status", "type"]
    search_fields = ["recipient", "subject", "body"]
    autocomplete_fields = ["task", "revision_of"]
    readonly_fields = ["status", "feedback", "approved_at", "sent_at", "created_at", "updated_at"]
