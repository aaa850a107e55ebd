from django.urls import path

from . import api

urlpatterns = [
    path("playbooks", api.PlaybookListApi.as_view(), name="playbooks"),
    path("playbooks/match", api.PlaybookMatchApi.as_view(), name="playbooks-match"),
    path("playbooks/propose", api.PlaybookProposeApi.as_view(), name="playbooks-propose"),
    path("playbooks/import", api.PlaybookImportApi.as_view(), name="playbooks-import"),
    path("playbooks/<uuid:playbook_id>", api.PlaybookDetailApi.as_view(), name="playbook"),
    path("playbooks/<uuid:playbook_id>/approve", api.PlaybookApproveApi.as_view(), name="playbook-approve"),
    path("playbooks/<uuid:playbook_id>/reject", api.PlaybookRejectApi.as_view(), name="playbook-reject"),
    path("playbooks/<uuid:playbook_id>/archive", api.PlaybookArchiveApi.as_view(), name="playbook-archive"),
    path("playbooks/<uuid:playbook_id>/export", api.PlaybookExportApi.as_view(), name="playbook-export"),
]
