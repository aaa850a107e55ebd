"""Recurring tasks and waiting items API (seed: "Other Endpoints"). Thin: validate, call one service or
selector of apps.tasks.recurring / apps.tasks.waiting, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution_kwargs
from apps.core.api_docs import errors

from . import recurring, waiting
from .models import RecurringTask, WaitingItem
from .serializers_planning import (
    RecurringListQuerySerializer,
    RecurringRunResultSerializer,
    RecurringRunSerializer,
    RecurringTaskSerializer,
    RecurringWriteSerializer,
    WaitingItemSerializer,
    WaitingListQuerySerializer,
    WaitingResolveSerializer,
    WaitingWriteSerializer,
)


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- recurring tasks --------------------------------------------------------------------------

def _recurring(request, recurring_id) -> RecurringTask:
    return get_object_or_404(recurring.recurring_queryset(user=request.user), pk=recurring_id)


class RecurringListCreateApi(GenericAPIView):
    serializer_class = RecurringTaskSerializer
    queryset = RecurringTask.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="List recurring task templates (soonest next run first)",
                   parameters=[RecurringListQuerySerializer],
                   responses={200: RecurringTaskSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        filters = _valid(RecurringListQuerySerializer, request.query_params.dict())
        page = self.paginate_queryset(recurring.recurring_list(user=request.user, filters=filters))
        return self.get_paginated_response(RecurringTaskSerializer(page, many=True).data)

    @extend_schema(summary="Create a recurring task template",
                   description="frequency daily, weekly or monthly: next_run (the first run) is required and the "
                               "series keeps its local time in the owner's time zone across DST changes. frequency "
                               "custom: cron_expression (5 fields, owner's time zone); next_run defaults to its first "
                               "time from now.",
                   request=RecurringWriteSerializer, responses={201: RecurringTaskSerializer, **errors(400, 401)})
    def post(self, request):
        data = _valid(RecurringWriteSerializer, request.data)
        created = recurring.recurring_create(**request_attribution_kwargs(request), **data)
        return Response(RecurringTaskSerializer(created).data, status=status.HTTP_201_CREATED)


class RecurringDueApi(GenericAPIView):
    serializer_class = RecurringTaskSerializer
    queryset = RecurringTask.objects.none()

    @extend_schema(summary="Recurring templates whose next run has come (run each with POST /api/recurring/{id}/run)",
                   description="The beat materializes these within a minute on its own; running one yourself is safe: "
                               "send its next_run as scheduled_for and a task the beat already made comes back instead "
                               "of a second one.",
                   responses={200: RecurringTaskSerializer(many=True), **errors(401)})
    def get(self, request):
        page = self.paginate_queryset(recurring.recurring_due(user=request.user))
        return self.get_paginated_response(RecurringTaskSerializer(page, many=True).data)


class RecurringDetailApi(APIView):
    @extend_schema(summary="Get a recurring task template", responses={200: RecurringTaskSerializer, **errors(401, 404)})
    def get(self, request, recurring_id):
        return Response(RecurringTaskSerializer(_recurring(request, recurring_id)).data)

    @extend_schema(summary="Update a recurring task template (any subset of fields)",
                   description="A new next_run or frequency starts the series from next_run; a new cron_expression "
                               "alone runs from its first time from now; reactivating (active true) skips the runs "
                               "missed while paused.",
                   request=RecurringWriteSerializer, responses={200: RecurringTaskSerializer, **errors(400, 401, 404)})
    def put(self, request, recurring_id):
        current = _recurring(request, recurring_id)
        data = _valid(RecurringWriteSerializer, request.data, partial=True)
        updated = recurring.recurring_update(recurring=current, **request_attribution_kwargs(request), **data)
        return Response(RecurringTaskSerializer(updated).data)

    patch = put

    @extend_schema(summary="Delete a recurring task template (the tasks it made stay; pause with active false instead)",
                   responses={204: OpenApiResponse(description="Deleted."), **errors(401, 404)})
    def delete(self, request, recurring_id):
        recurring.recurring_delete(recurring=_recurring(request, recurring_id), **request_attribution_kwargs(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecurringRunApi(APIView):
    @extend_schema(summary="Run a template's next occurrence now and reschedule",
                   description="Creates the occurrence's task (201) and moves next_run to the following occurrence. "
                               "With scheduled_for (the next_run you saw) the call is idempotent: an occurrence that "
                               "already has its task answers 200 with that task and created false. 409 when the "
                               "template is paused or scheduled_for is not its next occurrence.",
                   request=RecurringRunSerializer,
                   responses={201: RecurringRunResultSerializer, 200: RecurringRunResultSerializer,
                              **errors(400, 401, 404, 409)})
    def post(self, request, recurring_id):
        current = _recurring(request, recurring_id)
        data = _valid(RecurringRunSerializer, request.data)
        run = recurring.recurring_run(recurring=current, scheduled_for=data.get("scheduled_for"),
                                      **request_attribution_kwargs(request))
        body = RecurringRunResultSerializer({"recurring": run.recurring, "task": run.task, "created": run.created,
                                             "scheduled_for": run.scheduled_for}).data
        return Response(body, status=status.HTTP_201_CREATED if run.created else status.HTTP_200_OK)


# --- waiting items ----------------------------------------------------------------------------

def _waiting(request, waiting_id) -> WaitingItem:
    return get_object_or_404(waiting.waiting_queryset(user=request.user), pk=waiting_id)


class WaitingListCreateApi(GenericAPIView):
    serializer_class = WaitingItemSerializer
    queryset = WaitingItem.objects.none()

    @extend_schema(summary="List waiting items (next follow-up first)", parameters=[WaitingListQuerySerializer],
                   responses={200: WaitingItemSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        filters = _valid(WaitingListQuerySerializer, request.query_params.dict())
        page = self.paginate_queryset(waiting.waiting_list(user=request.user, filters=filters))
        return self.get_paginated_response(WaitingItemSerializer(page, many=True).data)

    @extend_schema(summary="Start waiting on something from someone", request=WaitingWriteSerializer,
                   responses={201: WaitingItemSerializer, **errors(400, 401)})
    def post(self, request):
        data = _valid(WaitingWriteSerializer, request.data)
        item = waiting.waiting_create(**request_attribution_kwargs(request), **data)
        return Response(WaitingItemSerializer(item).data, status=status.HTTP_201_CREATED)


class WaitingOverdueApi(GenericAPIView):
    serializer_class = WaitingItemSerializer
    queryset = WaitingItem.objects.none()

    @extend_schema(summary="Open waiting items past their follow-up date (most overdue first)",
                   responses={200: WaitingItemSerializer(many=True), **errors(401)})
    def get(self, request):
        page = self.paginate_queryset(waiting.waiting_overdue(user=request.user))
        return self.get_paginated_response(WaitingItemSerializer(page, many=True).data)


class WaitingDetailApi(APIView):
    @extend_schema(summary="Get a waiting item", responses={200: WaitingItemSerializer, **errors(401, 404)})
    def get(self, request, waiting_id):
        return Response(WaitingItemSerializer(_waiting(request, waiting_id)).data)

    @extend_schema(summary="Update a waiting item (any subset; status waiting or abandoned)",
                   request=WaitingWriteSerializer, responses={200: WaitingItemSerializer, **errors(400, 401, 404, 409)})
    def put(self, request, waiting_id):
        item = _waiting(request, waiting_id)
        data = _valid(WaitingWriteSerializer, request.data, partial=True)
        return Response(WaitingItemSerializer(waiting.waiting_update(item=item, **request_attribution_kwargs(request),
                                                                     **data)).data)

    patch = put

    @extend_schema(summary="Delete a waiting item (entered by mistake; otherwise resolve or abandon it)",
                   responses={204: OpenApiResponse(description="Deleted."), **errors(401, 404)})
    def delete(self, request, waiting_id):
        waiting.waiting_delete(item=_waiting(request, waiting_id), **request_attribution_kwargs(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WaitingResolveApi(APIView):
    @extend_schema(summary="Resolve a waiting item with notes (409 if it is already resolved or abandoned)",
                   request=WaitingResolveSerializer, responses={200: WaitingItemSerializer, **errors(400, 401, 404, 409)})
    def put(self, request, waiting_id):
        item = _waiting(request, waiting_id)
        data = _valid(WaitingResolveSerializer, request.data)
        return Response(WaitingItemSerializer(waiting.waiting_resolve(item=item, notes=data["notes"],
                                                                      **request_attribution_kwargs(request))).data)

