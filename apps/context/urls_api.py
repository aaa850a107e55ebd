from django.urls import path

from . import api

urlpatterns = [
    path("context/task/<uuid:task_id>", api.TaskContextApi.as_view(), name="context-task"),
    path("context/project/<uuid:project_id>", api.ProjectContextApi.as_view(), name="context-project"),
    path("context/person/<uuid:person_id>", api.PersonContextApi.as_view(), name="context-person"),
    path("context/client/<uuid:client_id>", api.ClientContextApi.as_view(), name="context-client"),
    path("context/search", api.ContextSearchApi.as_view(), name="context-search"),
]
