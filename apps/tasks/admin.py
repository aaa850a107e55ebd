from django.contrib import admin

from apps.activity.admin import admin_action, admin_service
from apps.core.admin import AuditedModelAdmin, tenant_admin_site

from .models import Project, RecurringTask, Task, TaskPerson, WaitingItem, WaitingStatus
from .services import projects, recurring, waiting
from .services.tasks import EDITABLE_FIELDS, task_cancel, task_create, task_update


class TaskPersonInline(admin.TabularInline):
    model = TaskPerson
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Project, site=tenant_admin_site)
class ProjectAdmin(AuditedModelAdmin):
    """Written through apps.tasks.services.projects (project_create / project_update / project_delete): a project
    with tasks or child projects is not deleted (409 shown here): archive it (status) instead."""

    list_display = ["name", "project_type", "status", "parent", "client", "target_date", "priority_order"]
    list_filter = ["project_type", "status"]
    search_fields = ["name", "description"]
    list_select_related = ["parent", "client"]
    autocomplete_fields = ["parent", "client"]
    service_ids = ("parent", "client")

    service_create = admin_service(projects.project_create)
    service_update = admin_service(projects.project_update, instance="project")
    service_delete = admin_service(projects.project_delete, instance="project")


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
    actions = ["cancel_selected"]

    # The owner's edits here are the owner speaking, as through the API: the task and its people are
    # written by one call of task_create / task_update (actor user), which logs, publishes the event
    # and captures the trigger phrases of the description (through apps.core.owner_words to apps.knowledge). So nothing is
    # saved in save_model; save_related makes that one call once the inline people are validated.
    # A task is never deleted here: as DELETE /api/tasks/{id}, it is cancelled (task_cancel) and kept.

    service_create = admin_service(task_create)
    service_update = admin_service(task_update, instance="task")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False  # completed or cancelled: final, as task_update says (409): shown read-only
        return super().has_change_permission(request, obj)

    cancel_selected = admin_action(task_cancel, instance="task", done="Cancelled", reason="Cancelled in the workspace admin",
                                   description="Cancel selected tasks (kept, status cancelled)")

    def save_model(self, request, obj, form, change):
        pass  # written in save_related, together with the people

    @staticmethod
    def _people(formsets) -> list[dict] | None:
        """The task's people as the inline now lists them, or None when the inline did not change."""
        for formset in formsets:
            if formset.model is TaskPerson and formset.has_changed():
                return [{"person": f.cleaned_data["person"], "role": f.cleaned_data.get("role")}
                        for f in formset.forms
                        if f.cleaned_data.get("person") and not f.cleaned_data.get("DELETE")]
        return None

    def save_related(self, request, form, formsets, change):
        task = form.instance
        people = self._people(formsets)
        for formset in formsets:  # fills new/changed/deleted_objects for the admin's history message only
            formset.save(commit=False)
        if change:  # task_update writes and logs nothing for an unchanged form (people included)
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
            self.service_update(request, Task.objects.get(pk=task.pk), {"people": people, **fields})
        else:
            fields = {name: form.cleaned_data[name] for name in form.fields
                      if name in EDITABLE_FIELDS and form.cleaned_data[name] not in (None, "")}  # else the defaults
            task.pk = self.service_create(request, {"people": people, **fields}).pk
        task.refresh_from_db()
        task._state.adding = False


@admin.register(RecurringTask, site=tenant_admin_site)
class RecurringTaskAdmin(AuditedModelAdmin):
    """Written through apps.tasks.services.recurring (recurring_create / recurring_update / recurring_delete),
    which check the schedule, keep the series anchor and log."""

    list_display = ["title", "frequency", "cron_expression", "next_run", "last_run", "active"]
    list_filter = ["frequency", "active"]
    search_fields = ["title", "description"]
    readonly_fields = ["last_run"]

    service_create = admin_service(recurring.recurring_create)
    service_update = admin_service(recurring.recurring_update, instance="recurring")
    service_delete = admin_service(recurring.recurring_delete, instance="recurring")


@admin.register(WaitingItem, site=tenant_admin_site)
class WaitingItemAdmin(AuditedModelAdmin):
    """Written through apps.tasks.services.waiting; resolving is the action calling waiting_resolve."""

    list_display = ["what", "who", "since", "follow_up_date", "status"]
    list_filter = ["status"]
    search_fields = ["what", "who", "why_it_matters"]
    autocomplete_fields = ["task", "person"]
    readonly_fields = ["status", "resolved_at", "resolution_notes"]
    service_ids = ("task", "person")
    actions = ["resolve_selected", "abandon_selected"]

    service_create = admin_service(waiting.waiting_create)
    service_update = admin_service(waiting.waiting_update, instance="item")
    service_delete = admin_service(waiting.waiting_delete, instance="item")

    resolve_selected = admin_action(waiting.waiting_resolve, instance="item", done="Resolved",
                                    description="Resolve selected waiting items")
    abandon_selected = admin_action(waiting.waiting_update, instance="item", done="Abandoned",
                                    status=WaitingStatus.ABANDONED, description="Abandon selected waiting items (stop waiting)")
