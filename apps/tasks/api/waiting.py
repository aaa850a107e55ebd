"""Waiting items API (seed: "Other Endpoints"). Thin: validate, call one service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors

from ..filters import WaitingListQuerySerializer
from ..models import WaitingItem, WaitingStatus
from ..selectors.waiting import waiting_list, waiting_overdue, waiting_queryset
from ..services.waiting import waiting_create, waiting_delete, waiting_resolve, waiting_update


class WaitingItemSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = WaitingItem
        fields = ["id", "what", "who", "person_id", "task_id", "since", "follow_up_date", "why_it_matters", "status",
                  "resolved_at", "resolution_notes", "overdue", "created_at"]

    def get_overdue(self, item) -> bool:
        """Still waiting and past the follow-up date."""
        return item.is_overdue()


class WaitingWriteSerializer(serializers.Serializer):
    """POST /api/waiting and PUT/PATCH /api/waiting/{id} (any subset on update)."""

    what = serializers.CharField()
    who = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False)
    person_id = serializers.UUIDField(allow_null=True, required=False)
    task_id = serializers.UUIDField(allow_null=True, required=False)
    since = serializers.DateTimeField(required=False)
    follow_up_date = serializers.DateTimeField(allow_null=True, required=False)
    why_it_matters = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    status = serializers.ChoiceField(choices=WaitingStatus.choices, required=False,
                                     help_text="waiting or abandoned; resolve with PUT /api/waiting/{id}/resolve")


class WaitingResolveSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, allow_null=True, required=False, default=None,
                                  help_text="What came back: kept as resolution_notes.")


def _waiting(request, waiting_id) -> WaitingItem:
    return get_object_or_404(waiting_queryset(user=request.user), pk=waiting_id)


class WaitingListCreateApi(GenericAPIView):
    serializer_class = WaitingItemSerializer
    queryset = WaitingItem.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="List waiting items (next follow-up first)", parameters=[WaitingListQuerySerializer],
                   responses={200: WaitingItemSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(waiting_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(WaitingItemSerializer(page, many=True).data)

    @extend_schema(summary="Start waiting on something from someone", request=WaitingWriteSerializer,
                   responses={201: WaitingItemSerializer, **errors(400, 401)})
    def post(self, request):
        fields = validated(WaitingWriteSerializer, request.data)
        item = waiting_create(by=request_attribution(request), **fields)
        return Response(WaitingItemSerializer(item).data, status=status.HTTP_201_CREATED)


class WaitingOverdueApi(GenericAPIView):
    serializer_class = WaitingItemSerializer
    queryset = WaitingItem.objects.none()

    @extend_schema(summary="Open waiting items past their follow-up date (most overdue first)",
                   responses={200: WaitingItemSerializer(many=True), **errors(401)})
    def get(self, request):
        page = self.paginate_queryset(waiting_overdue(user=request.user))
        return self.get_paginated_response(WaitingItemSerializer(page, many=True).data)


class WaitingDetailApi(APIView):
    @extend_schema(summary="Get a waiting item", responses={200: WaitingItemSerializer, **errors(401, 404)})
    def get(self, request, waiting_id):
        return Response(WaitingItemSerializer(_waiting(request, waiting_id)).data)

    @extend_schema(summary="Update a waiting item (any subset; status waiting or abandoned)",
                   request=WaitingWriteSerializer, responses={200: WaitingItemSerializer, **errors(400, 401, 404, 409)})
    def put(self, request, waiting_id):
        item = _waiting(request, waiting_id)
        fields = validated(WaitingWriteSerializer, request.data, partial=True)
        item = waiting_update(item=item, by=request_attribution(request), **fields)
        return Response(WaitingItemSerializer(item).data)

    patch = put

    @extend_schema(summary="Delete a waiting item (entered by mistake; otherwise resolve or abandon it)",
                   responses={204: OpenApiResponse(description="Deleted."), **errors(401, 404)})
    def delete(self, request, waiting_id):
        waiting_delete(item=_waiting(request, waiting_id), by=request_attribution(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WaitingResolveApi(APIView):
    @extend_schema(summary="Resolve a waiting item with notes (409 if it is already resolved or abandoned)",
                   request=WaitingResolveSerializer, responses={200: WaitingItemSerializer, **errors(400, 401, 404, 409)})
    def put(self, request, waiting_id):
        item = _waiting(request, waiting_id)
        fields = validated(WaitingResolveSerializer, request.data)
        item = waiting_resolve(item=item, notes=fields["notes"], by=request_attribution(request))
        return Response(WaitingItemSerializer(item).data)
