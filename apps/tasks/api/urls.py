"""Every route of the tasks app under /api/ (included once by expertly/urls_api.py)."""

from django.urls import path

from . import projects, recurring, tasks, waiting

urlpatterns = [
    path("tasks", tasks.TaskListCreateApi.as_view(), name="tasks"),
    path("tasks/<uuid:task_id>", tasks.TaskDetailApi.as_view(), name="task"),
    path("projects", projects.ProjectListCreateApi.as_view(), name="projects"),
    path("projects/<uuid:project_id>", projects.ProjectDetailApi.as_view(), name="project"),
    path("recurring", recurring.RecurringListCreateApi.as_view(), name="recurring-list"),
    path("recurring/due", recurring.RecurringDueApi.as_view(), name="recurring-due"),
    path("recurring/<uuid:recurring_id>", recurring.RecurringDetailApi.as_view(), name="recurring"),
    path("recurring/<uuid:recurring_id>/run", recurring.RecurringRunApi.as_view(), name="recurring-run"),
    path("waiting", waiting.WaitingListCreateApi.as_view(), name="waiting-list"),
    path("waiting/overdue", waiting.WaitingOverdueApi.as_view(), name="waiting-overdue"),
    path("waiting/<uuid:waiting_id>", waiting.WaitingDetailApi.as_view(), name="waiting"),
    path("waiting/<uuid:waiting_id>/resolve", waiting.WaitingResolveApi.as_view(), name="waiting-resolve"),
]
