from django.contrib import admin
from django.utils.safestring import mark_safe

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Playbook
from .rendering import playbook_content_html


@admin.register(Playbook, site=tenant_admin_site)
class PlaybookAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "must_consult", "status", "use_count", "last_used"]
    list_filter = ["status", "must_consult", "category"]
    search_fields = ["name", "description", "content"]
    autocomplete_fields = ["source_task"]
    readonly_fields = ["status", "rejected_reason", "content_preview", "use_count", "last_used", "created_at",
                       "updated_at"]

    @admin.display(description="Content preview")
    def content_preview(self, playbook: Playbook) -> str:
        """The content as the dashboard shows it: rendered by the one sanitizing renderer, so what
        is marked safe here is only its allowed subset of HTML."""
        if playbook is None or not playbook.content:
            return "—"
        return mark_safe(f'<div class="playbook-content">{playbook_content_html(playbook.content)}</div>')
