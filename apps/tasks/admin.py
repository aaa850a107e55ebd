from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.activity.models import Actor
from apps.tenants.sites import tenant_admin_site

from .models import Project, RecurringTask, Task, TaskPerson, TaskStatus, WaitingItem
from .services import EDITABLE_FIELDS, task_create, task_update


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

    # The owner's edits here are the owner speaking, as through the API: the task and its people are
    # written by one call of task_create / task_update (actor user), which logs, publishes the event
    # and captures the trigger phrases of the description (apps.knowledge.triggers). So nothing is
    # saved in save_model; save_related makes that one call once the inline people are validated.

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
            return False  # final, as task_update says (409): shown read-only
        return super().has_change_permission(request, obj)

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
        if change:
            stored = Task.objects.get(pk=task.pk)
            fields = {name: form.cleaned_data[name] for name in form.changed_data
                      if name in EDITABLE_FIELDS and getattr(stored, name) != form.cleaned_data[name]}
            if fields or people is not None:  # saving an unchanged form writes and logs nothing
                task_update(task=stored, user=request.user, actor=Actor.USER, people=people, **fields)
        else:
            fields = {name: form.cleaned_data[name] for name in form.fields
                      if name in EDITABLE_FIELDS and form.cleaned_data[name] not in (None, "")}  # else the defaults
            task.pk = task_create(user=request.user, actor=Actor.USER, people=people, **fields).pk
        task.refresh_from_db()
        task._state.adding = False


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
