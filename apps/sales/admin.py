from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import SalesOpportunity


@admin.register(SalesOpportunity, site=tenant_admin_site)
class SalesOpportunityAdmin(AuditedModelAdmin):
    list_display = ["name", "client", "stage", "value", "probability", "expected_close_date", "next_action_date"]
    list_filter = ["stage", "client"]
    search_fields = ["name", "description", "notes", "client__name"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    readonly_fields = ["stage", "closed_at", "created_at", "updated_at"]
