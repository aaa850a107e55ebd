from django.urls import path

from . import api

urlpatterns = [
    path("drafts", api.DraftListCreateApi.as_view(), name="drafts"),
    path("drafts/<uuid:draft_id>", api.DraftDetailApi.as_view(), name="draft"),
    path("drafts/<uuid:draft_id>/approve", api.DraftApproveApi.as_view(), name="draft-approve"),
    path("drafts/<uuid:draft_id>/reject", api.DraftRejectApi.as_view(), name="draft-reject"),
    path("drafts/<uuid:draft_id>/revise", api.DraftReviseApi.as_view(), name="draft-revise"),
]
