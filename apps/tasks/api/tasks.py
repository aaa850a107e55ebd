"""The API for tasks (seed: "Task Management"): list, create, edit, cancel. Claude's loop
over them (next, claim, start, complete, block) is apps.workloop.api. Thin: validate, call one
service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors

from ..filters import TaskFilter
from ..models import Task
from ..selectors import tasks as selectors
from ..services import tasks as services
from .serializers import TaskSerializer, TaskWriteSerializer


class TaskListCreateApi(GenericAPIView):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter  # for the schema; selectors.task_list runs it

    def get_queryset(self):
        return selectors.task_queryset(user=self.request.user)

    @extend_schema(summary="List tasks", responses={200: TaskSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        tasks = self.paginate_queryset(selectors.task_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(TaskSerializer(tasks, many=True).data)

    @extend_schema(summary="Create a task", request=TaskWriteSerializer,
                   responses={201: TaskSerializer, **errors(400, 401)})
    def post(self, request):
        fields = selectors.task_references_get(user=request.user, fields=validated(TaskWriteSerializer, request.data))
        task = services.task_create(by=request_attribution(request), **fields)
        return Response(TaskSerializer(selectors.task_get(user=request.user, task_id=task.pk)).data,
                        status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    def _task(self, request, task_id) -> Task:
        return get_object_or_404(selectors.task_queryset(user=request.user), pk=task_id)

    @extend_schema(summary="Get a task", responses={200: TaskSerializer, **errors(401, 404)})
    def get(self, request, task_id):
        return Response(TaskSerializer(self._task(request, task_id)).data)

    @extend_schema(summary="Update a task (any subset of fields; not status)", request=TaskWriteSerializer,
                   responses={200: TaskSerializer, **errors(400, 401, 404, 409)})
    def put(self, request, task_id):
        task = self._task(request, task_id)
        values = validated(TaskWriteSerializer, request.data, partial=True)
        services.task_update(task=task, by=request_attribution(request),
                             **selectors.task_references_get(user=request.user, fields=values))
        return Response(TaskSerializer(self._task(request, task_id)).data)

    patch = put

    @extend_schema(summary="Cancel a task (soft delete: it is kept, status cancelled)",
                   responses={200: TaskSerializer, **errors(401, 404, 409)})
    def delete(self, request, task_id):
        task = services.task_cancel(task=self._task(request, task_id), by=request_attribution(request))
        return Response(TaskSerializer(task).data)


