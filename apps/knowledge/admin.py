from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Knowledge, KnowledgeStatus


@admin.register(Knowledge, site=tenant_admin_site)
class KnowledgeAdmin(AuditedModelAdmin):
    list_display = ["__str__", "category", "status", "source_type", "routed_to_type", "learned_at"]
    list_filter = ["status", "category", "source_type", "routed_to_type"]
    search_fields = ["content", "trigger_phrase"]
    autocomplete_fields = ["source_task"]
    # Routing and review go through apps.knowledge.services (they write the target and the log).
    readonly_fields = ["status", "routed_to_type", "routed_to_id", "routed_field", "candidates", "review_note",
                       "dismissed_reason", "source_question", "learned_at", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        """A routed or dismissed entry is the audit trail of what was learned and what changed where
        (or why nothing did): its content, category, source and routing are all read-only."""
        if obj is not None and obj.status in (KnowledgeStatus.ROUTED, KnowledgeStatus.DISMISSED):
            return [f.name for f in Knowledge._meta.fields if f.name not in ("id", "user")]
        return super().get_readonly_fields(request, obj)
