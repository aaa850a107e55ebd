from django.urls import path

from . import api

urlpatterns = [
    path("knowledge", api.KnowledgeListApi.as_view(), name="knowledge-list"),
    path("knowledge/capture", api.KnowledgeCaptureApi.as_view(), name="knowledge-capture"),
    path("knowledge/pending", api.KnowledgePendingApi.as_view(), name="knowledge-pending"),
    path("knowledge/triggers", api.KnowledgeTriggersApi.as_view(), name="knowledge-triggers"),
    path("knowledge/<uuid:knowledge_id>", api.KnowledgeDetailApi.as_view(), name="knowledge-detail"),
    path("knowledge/<uuid:knowledge_id>/route", api.KnowledgeRouteApi.as_view(), name="knowledge-route"),
    path("knowledge/<uuid:knowledge_id>/dismiss", api.KnowledgeDismissApi.as_view(), name="knowledge-dismiss"),
]
