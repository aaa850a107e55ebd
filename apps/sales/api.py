"""Sales pipeline API (seed: "Other Endpoints" → Sales Opportunities). Thin: validate, call one service or
selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors

from . import selectors, services
from .filters import OpportunityFilter
from .models import SalesOpportunity
from .serializers import OpportunityAdvanceSerializer, OpportunitySerializer, OpportunityWriteSerializer, PipelineSerializer


def _opportunity(request, opportunity_id) -> SalesOpportunity:
    return get_object_or_404(selectors.opportunity_queryset(user=request.user), pk=opportunity_id)


def _fresh(request, opportunity: SalesOpportunity) -> dict:
    return OpportunitySerializer(selectors.opportunity_get(user=request.user, opportunity_id=opportunity.pk)).data


class OpportunityListCreateApi(GenericAPIView):
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter  # for the schema; selectors.opportunity_list runs it
    queryset = SalesOpportunity.objects.none()

    @extend_schema(summary="List sales opportunities (expected close date first)",
                   responses={200: OpportunitySerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(selectors.opportunity_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(OpportunitySerializer(page, many=True).data)

    @extend_schema(summary="Create a sales opportunity (at an open stage; lead unless told)",
                   request=OpportunityWriteSerializer, responses={201: OpportunitySerializer, **errors(400, 401)})
    def post(self, request):
        data = validated(OpportunityWriteSerializer, request.data)
        opportunity = services.opportunity_create(by=request_attribution(request), **data)
        return Response(_fresh(request, opportunity), status=status.HTTP_201_CREATED)


class PipelineApi(APIView):
    @extend_schema(summary="The pipeline: count, total value and probability-weighted value per stage",
                   responses={200: PipelineSerializer, **errors(401)})
    def get(self, request):
        return Response(PipelineSerializer(selectors.opportunity_pipeline(user=request.user)).data)


class OpportunityDetailApi(APIView):
    @extend_schema(summary="Get a sales opportunity", responses={200: OpportunitySerializer, **errors(401, 404)})
    def get(self, request, opportunity_id):
        return Response(OpportunitySerializer(_opportunity(request, opportunity_id)).data)

    @extend_schema(summary="Update a sales opportunity (any subset of fields; not the stage)",
                   request=OpportunityWriteSerializer, responses={200: OpportunitySerializer, **errors(400, 401, 404)})
    def put(self, request, opportunity_id):
        opportunity = _opportunity(request, opportunity_id)
        data = validated(OpportunityWriteSerializer, request.data, partial=True)
        services.opportunity_update(opportunity=opportunity, by=request_attribution(request), **data)
        return Response(_fresh(request, opportunity))

    patch = put

    @extend_schema(summary="Delete a sales opportunity (a lost deal is closed_lost, not deleted)",
                   responses={204: OpenApiResponse(description="Deleted."),
                              **errors(401, 404)})
    def delete(self, request, opportunity_id):
        services.opportunity_delete(opportunity=_opportunity(request, opportunity_id), by=request_attribution(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OpportunityAdvanceApi(APIView):
    @extend_schema(summary="Move an opportunity to its next stage (or close it)",
                   description="lead → qualified → proposal → negotiation → closed_won | closed_lost, one stage at a "
                               "time; closed_lost is allowed from any open stage. Without a body it moves to the one "
                               "next stage; from negotiation say {\"stage\": \"closed_won\"} or closed_lost (with a "
                               "reason). Closing sets closed_at. 409 for a skip, a move back or a closed deal, naming "
                               "the current stage and allowed_next_stages.",
                   request=OpportunityAdvanceSerializer, responses={200: OpportunitySerializer,
                                                                    **errors(400, 401, 404, 409)})
    def put(self, request, opportunity_id):
        opportunity = _opportunity(request, opportunity_id)
        data = validated(OpportunityAdvanceSerializer, request.data)
        services.opportunity_advance(opportunity=opportunity, by=request_attribution(request), **data)
        return Response(_fresh(request, opportunity))
