from django.urls import path

from . import api, api_context

urlpatterns = [
    path("tasks", api.TaskListCreateApi.as_view(), name="tasks"),
    path("tasks/<uuid:task_id>", api.TaskDetailApi.as_view(), name="task"),
    path("projects", api.ProjectListCreateApi.as_view(), name="projects"),
    path("projects/<uuid:project_id>", api.ProjectDetailApi.as_view(), name="project"),
    path("context/task/<uuid:task_id>", api_context.TaskContextApi.as_view(), name="context-task"),
    path("context/project/<uuid:project_id>", api_context.ProjectContextApi.as_view(), name="context-project"),
]
