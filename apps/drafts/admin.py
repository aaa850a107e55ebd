from django.contrib import admin

from apps.activity.admin import admin_action, admin_service
from apps.core.admin import AuditedModelAdmin, tenant_admin_site

from . import services
from .models import Draft, DraftStatus


@admin.register(Draft, site=tenant_admin_site)
class DraftAdmin(AuditedModelAdmin):
    """Written through draft_create / draft_update (which snapshot who the recipient is); approving is
    the action calling draft_approve. Rejecting needs the owner's feedback, which the API asks for (draft_reject,
    with an owner key): not here. A draft is never deleted: the chain of versions is the record."""

    list_display = ["__str__", "type", "recipient", "status", "created_at", "approved_at"]
    list_filter = ["status", "type"]
    search_fields = ["recipient", "subject", "body"]
    autocomplete_fields = ["task"]
    fields = ["type", "recipient", "subject", "body", "task", "status", "feedback", "revision_of",
              "relationship_context", "approved_at", "sent_at", "created_at", "updated_at"]
    readonly_fields = ["status", "feedback", "revision_of", "relationship_context", "approved_at", "sent_at",
                       "created_at", "updated_at"]
    actions = ["approve_selected"]

    service_create = admin_service(services.draft_create, result="draft")
    service_update = admin_service(services.draft_update, instance="draft")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != DraftStatus.PENDING:
            return False  # only a pending draft is edited in place (draft_update, 409 otherwise)
        return super().has_change_permission(request, obj)

    approve_selected = admin_action(services.draft_approve, instance="draft", done="Approved",
                                    description="Approve selected drafts (you send them yourself)")
