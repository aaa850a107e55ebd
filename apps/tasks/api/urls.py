from django.urls import path

from . import api, api_context

urlpatterns = [
    path("tasks", api.TaskListCreateApi.as_view(), name="tasks"),
    path("tasks/next", api.TaskNextApi.as_view(), name="tasks-next"),
    path("tasks/claim", api.TaskClaimApi.as_view(), name="tasks-claim"),
    path("tasks/<uuid:task_id>", api.TaskDetailApi.as_view(), name="task"),
    path("tasks/<uuid:task_id>/start", api.TaskStartApi.as_view(), name="task-start"),
    path("tasks/<uuid:task_id>/complete", api.TaskCompleteApi.as_view(), name="task-complete"),
    path("tasks/<uuid:task_id>/block", api.TaskBlockApi.as_view(), name="task-block"),
    path("projects", api.ProjectListCreateApi.as_view(), name="projects"),
    path("projects/<uuid:project_id>", api.ProjectDetailApi.as_view(), name="project"),
    path("context/task/<uuid:task_id>", api_context.TaskContextApi.as_view(), name="context-task"),
    path("context/project/<uuid:project_id>", api_context.ProjectContextApi.as_view(), name="context-project"),
]
