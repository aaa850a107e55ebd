from django.urls import path

from . import api

urlpatterns = [
    path("tasks/next", api.TaskNextApi.as_view(), name="tasks-next"),
    path("tasks/claim", api.TaskClaimApi.as_view(), name="tasks-claim"),
    path("tasks/<uuid:task_id>/start", api.TaskStartApi.as_view(), name="task-start"),
    path("tasks/<uuid:task_id>/complete", api.TaskCompleteApi.as_view(), name="task-complete"),
    path("tasks/<uuid:task_id>/block", api.TaskBlockApi.as_view(), name="task-block"),
    path("tasks/<uuid:task_id>/stop", api.TaskStopApi.as_view(), name="task-stop"),
    path("workspace/pause", api.WorkspacePauseApi.as_view(), name="workspace-pause"),
]
