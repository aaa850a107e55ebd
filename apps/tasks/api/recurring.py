"""Recurring tasks API (seed: "Other Endpoints"). Thin: validate, call one service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors

from ..filters import RecurringListQuerySerializer
from ..models import Assignee, Frequency, RecurringTask
from ..selectors.recurring import recurring_due, recurring_list, recurring_queryset
from ..services.recurring import TEMPLATE_FIELDS, recurring_create, recurring_delete, recurring_run, recurring_update
from .serializers import TaskSerializer


class TaskTemplateSerializer(serializers.Serializer):
    """The Task fields each occurrence gets (title and description come from the template itself)."""

    priority = serializers.IntegerField(min_value=1, max_value=5, required=False)
    assignee = serializers.ChoiceField(choices=Assignee.choices, required=False)
    project_id = serializers.UUIDField(allow_null=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    context = serializers.DictField(required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(TEMPLATE_FIELDS))):
            raise serializers.ValidationError({key: [f"Not a task_template field; use {', '.join(TEMPLATE_FIELDS)}."]
                                               for key in unknown})
        return super().to_internal_value(data)

    def to_representation(self, instance):
        return {k: v for k, v in super().to_representation(instance).items() if k in instance}


class RecurringTaskSerializer(serializers.ModelSerializer):
    task_template = TaskTemplateSerializer()

    class Meta:
        model = RecurringTask
        fields = ["id", "title", "description", "task_template", "frequency", "cron_expression", "next_run", "last_run",
                  "active", "created_at"]


class RecurringWriteSerializer(serializers.Serializer):
    """POST /api/recurring and PUT/PATCH /api/recurring/{id} (any subset on update)."""

    title = serializers.CharField(max_length=500)
    description = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    task_template = TaskTemplateSerializer(required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    cron_expression = serializers.CharField(max_length=100, allow_blank=True, allow_null=True, required=False,
                                            help_text="With frequency custom: minute hour day-of-month month "
                                                      "day-of-week, in the owner's time zone (e.g. '0 9 * * 1-5').")
    next_run = serializers.DateTimeField(required=False,
                                         help_text="The first run. Required for daily, weekly and monthly: the series "
                                                   "keeps its local time (and weekday / day of month) in the owner's "
                                                   "time zone, across DST changes.")
    active = serializers.BooleanField(required=False)


class RecurringRunSerializer(serializers.Serializer):
    scheduled_for = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="The next_run you saw in /api/recurring/due. If that occurrence already has its task (the beat "
                  "or another agent ran it) you get that task back with created false.")


class RecurringRunResultSerializer(serializers.Serializer):
    recurring = RecurringTaskSerializer()
    task = TaskSerializer()
    created = serializers.BooleanField(help_text="false: the occurrence already had its task")
    scheduled_for = serializers.DateTimeField()


def _recurring(request, recurring_id) -> RecurringTask:
    return get_object_or_404(recurring_queryset(user=request.user), pk=recurring_id)


class RecurringListCreateApi(GenericAPIView):
    serializer_class = RecurringTaskSerializer
    queryset = RecurringTask.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="List recurring task templates (soonest next run first)",
                   parameters=[RecurringListQuerySerializer],
                   responses={200: RecurringTaskSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(recurring_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(RecurringTaskSerializer(page, many=True).data)

    @extend_schema(summary="Create a recurring task template",
                   description="frequency daily, weekly or monthly: next_run (the first run) is required and the "
                               "series keeps its local time in the owner's time zone across DST changes. frequency "
                               "custom: cron_expression (5 fields, owner's time zone); next_run defaults to its first "
                               "time from now.",
                   request=RecurringWriteSerializer, responses={201: RecurringTaskSerializer, **errors(400, 401)})
    def post(self, request):
        fields = validated(RecurringWriteSerializer, request.data)
        created = recurring_create(by=request_attribution(request), **fields)
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
        page = self.paginate_queryset(recurring_due(user=request.user))
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
        fields = validated(RecurringWriteSerializer, request.data, partial=True)
        updated = recurring_update(recurring=current, by=request_attribution(request), **fields)
        return Response(RecurringTaskSerializer(updated).data)

    patch = put

    @extend_schema(summary="Delete a recurring task template (the tasks it made stay; pause with active false instead)",
                   responses={204: OpenApiResponse(description="Deleted."), **errors(401, 404)})
    def delete(self, request, recurring_id):
        recurring_delete(recurring=_recurring(request, recurring_id), by=request_attribution(request))
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
        fields = validated(RecurringRunSerializer, request.data)
        run = recurring_run(recurring=current, scheduled_for=fields.get("scheduled_for"),
                            by=request_attribution(request))
        return Response(RecurringRunResultSerializer(run).data,
                        status=status.HTTP_201_CREATED if run.created else status.HTTP_200_OK)
