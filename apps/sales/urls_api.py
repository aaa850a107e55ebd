from django.urls import path

from . import api

urlpatterns = [
    path("sales", api.OpportunityListCreateApi.as_view(), name="sales"),
    path("sales/pipeline", api.PipelineApi.as_view(), name="sales-pipeline"),
    path("sales/<uuid:opportunity_id>", api.OpportunityDetailApi.as_view(), name="opportunity"),
    path("sales/<uuid:opportunity_id>/advance", api.OpportunityAdvanceApi.as_view(), name="opportunity-advance"),
]
