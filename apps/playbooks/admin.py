from django.contrib import admin
from django.utils.safestring import mark_safe

from apps.activity.admin import admin_action, admin_service
from apps.core.admin import AuditedModelAdmin, tenant_admin_site

from . import services
from .models import Playbook
from .rendering import playbook_content_html


@admin.register(Playbook, site=tenant_admin_site)
class PlaybookAdmin(AuditedModelAdmin):
    """Written through playbook_create (the owner's playbook is active at once) / playbook_update; the
    proposal workflow moves by the actions calling playbook_approve and playbook_archive (rejecting needs
    a reason: the API asks for it, with an owner key). Not deleted: archived or rejected ones are the record."""

    list_display = ["name", "category", "must_consult", "status", "use_count", "last_used"]
    list_filter = ["status", "must_consult", "category"]
    search_fields = ["name", "description", "content"]
    autocomplete_fields = ["source_task"]
    readonly_fields = ["status", "rejected_reason", "content_preview", "use_count", "last_used", "created_at",
                       "updated_at"]
    actions = ["approve_selected", "archive_selected"]

    service_create = admin_service(services.playbook_create)
    service_update = admin_service(services.playbook_update, instance="playbook")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status not in services.EDITABLE_STATUSES:
            return False  # kept for the record as it is (playbook_update, 409)
        return super().has_change_permission(request, obj)

    approve_selected = admin_action(services.playbook_approve, instance="playbook", done="Approved",
                                    description="Approve selected proposals (matched to tasks from now on)")
    archive_selected = admin_action(services.playbook_archive, instance="playbook", done="Archived",
                                    description="Archive selected playbooks (no longer matched, kept)")

    @admin.display(description="Content preview")
    def content_preview(self, playbook: Playbook) -> str:
        """The content as the dashboard shows it: rendered by the one sanitizing renderer, so what
        is marked safe here is only its allowed subset of HTML."""
        if playbook is None or not playbook.content:
            return "—"
        return mark_safe(f'<div class="playbook-content">{playbook_content_html(playbook.content)}</div>')
