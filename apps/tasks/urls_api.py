from django.urls import path

from . import api

urlpatterns = [
    path("tasks", api.TaskListCreateApi.as_view(), name="tasks"),
    path("tasks/<uuid:task_id>", api.TaskDetailApi.as_view(), name="task"),
    path("projects", api.ProjectListCreateApi.as_view(), name="projects"),
    path("projects/<uuid:project_id>", api.ProjectDetailApi.as_view(), name="project"),
]
