from django.urls import path

from . import api

urlpatterns = [
    path("playbooks", api.PlaybookListApi.as_view(), name="playbooks"),
    path("playbooks/match", api.PlaybookMatchApi.as_view(), name="playbooks-match"),
    path("playbooks/<uuid:playbook_id>", api.PlaybookDetailApi.as_view(), name="playbook"),
]
