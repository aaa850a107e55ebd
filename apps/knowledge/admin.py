from django.contrib import admin

from apps.activity.admin import admin_action, admin_service
from apps.core.admin import AuditedModelAdmin, tenant_admin_site

from . import services
from .models import Knowledge

ADMIN_DISMISSAL = "Dismissed by the owner in the workspace admin."


@admin.register(Knowledge, site=tenant_admin_site)
class KnowledgeAdmin(AuditedModelAdmin):
    """Written through apps.knowledge.services: a new entry is captured and routed (knowledge_capture), an
    entry waiting for a decision is corrected (knowledge_update) or dismissed (the action calling
    knowledge_dismiss). Nothing is deleted: a routed or dismissed entry is the audit trail of what was
    learned and what it changed where (or why nothing did), shown read-only."""

    list_display = ["__str__", "category", "status", "source_type", "routed_to_type", "learned_at"]
    list_filter = ["status", "category", "source_type", "routed_to_type"]
    search_fields = ["content", "trigger_phrase"]
    autocomplete_fields = ["source_task"]
    readonly_fields = ["status", "routed_to_type", "routed_to_id", "routed_field", "candidates", "review_note",
                       "dismissed_reason", "source_question", "learned_at", "created_at"]
    actions = ["dismiss_selected"]

    service_create = admin_service(services.knowledge_capture, result="knowledge")
    service_update = admin_service(services.knowledge_update, instance="knowledge")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status not in services.ROUTABLE:
            return False  # routed or dismissed: the audit trail (knowledge_update, 409)
        return super().has_change_permission(request, obj)

    dismiss_selected = admin_action(services.knowledge_dismiss, instance="knowledge", done="Dismissed",
                                    reason=ADMIN_DISMISSAL, description="Dismiss selected entries (kept, not routed)")
