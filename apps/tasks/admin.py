from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Project, RecurringTask, Task, TaskPerson, WaitingItem


class TaskPersonInline(admin.TabularInline):
    model = TaskPerson
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Project, site=tenant_admin_site)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ["name", "project_type", "status", "parent", "client", "target_date", "priority_order"]
    list_filter = ["project_type", "status"]
    search_fields = ["name", "description"]
    list_select_related = ["parent", "client"]
    autocomplete_fields = ["parent", "client"]


@admin.register(Task, site=tenant_admin_site)
class TaskAdmin(AuditedModelAdmin):
    list_display = ["title", "priority", "status", "assignee", "project", "due_date", "updated_at"]
    list_filter = ["status", "assignee", "priority", "source", "project"]
    search_fields = ["title", "description"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    readonly_fields = ["status", "blocking_question", "started_at", "completed_at", "output",
                       "recurring_task", "scheduled_for", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [TaskPersonInline]


@admin.register(RecurringTask, site=tenant_admin_site)
class RecurringTaskAdmin(AuditedModelAdmin):
    list_display = ["title", "frequency", "cron_expression", "next_run", "last_run", "active"]
    list_filter = ["frequency", "active"]
    search_fields = ["title", "description"]
    readonly_fields = ["last_run"]


@admin.register(WaitingItem, site=tenant_admin_site)
class WaitingItemAdmin(AuditedModelAdmin):
    list_display = ["what", "who", "since", "follow_up_date", "status"]
    list_filter = ["status"]
    search_fields = ["what", "who", "why_it_matters"]
    autocomplete_fields = ["task", "person"]
    readonly_fields = ["status", "resolved_at", "resolution_notes"]
