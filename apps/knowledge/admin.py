from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Knowledge


@admin.register(Knowledge, site=tenant_admin_site)
class KnowledgeAdmin(AuditedModelAdmin):
    list_display = ["__str__", "category", "status", "source_type", "routed_to_type", "learned_at"]
    list_filter = ["status", "category", "source_type", "routed_to_type"]
    search_fields = ["content", "trigger_phrase"]
    autocomplete_fields = ["source_task"]
    # Routing and review go through apps.knowledge.services (they write the target and the log).
    readonly_fields = ["status", "routed_to_type", "routed_to_id", "routed_field", "candidates", "review_note",
                       "dismissed_reason", "source_question", "learned_at", "created_at"]
