"""The API for tasks (seed: "Task Management") and projects: list, create, edit, cancel. Claude's loop
over them (next, claim, start, complete, block) is apps.workloop.api. Thin: validate, call one
service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_actor, request_attribution_kwargs, request_session_id
from apps.core.api_docs import errors

from . import projects, selectors, services
from .filters import ProjectFilter, TaskFilter
from .models import Project, Task
from .serializers import ProjectSerializer, ProjectWriteSerializer, TaskSerializer, TaskWriteSerializer


def _task_fields(request, data: dict) -> dict:
    """Serializer output → service keyword arguments (ids resolved within the caller's workspace)."""
    fields = dict(data)
    if "project_id" in fields:
        fields["project"] = services.project_for_user(user=request.user, project_id=fields.pop("project_id"))
    if "people" in fields:
        fields["people"] = services.people_for_user(user=request.user, people=fields["people"])
    return fields


class TaskListCreateApi(GenericAPIView):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return selectors.task_queryset(user=self.request.user)

    @extend_schema(summary="List tasks", responses={200: TaskSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        tasks = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TaskSerializer(tasks, many=True).data)

    @extend_schema(summary="Create a task", request=TaskWriteSerializer,
                   responses={201: TaskSerializer, **errors(400, 401)})
    def post(self, request):
        serializer = TaskWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_create(user=request.user, actor=request_actor(request),
                                    session_id=request_session_id(request), **_task_fields(request, serializer.validated_data))
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
        serializer = TaskWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = _task_fields(request, serializer.validated_data)
        people = fields.pop("people", None)
        services.task_update(task=task, user=request.user, actor=request_actor(request), people=people,
                             session_id=request_session_id(request), **fields)
        return Response(TaskSerializer(self._task(request, task_id)).data)

    patch = put

    @extend_schema(summary="Cancel a task (soft delete: it is kept, status cancelled)",
                   responses={200: TaskSerializer, **errors(401, 404, 409)})
    def delete(self, request, task_id):
        task = services.task_cancel(task=self._task(request, task_id), user=request.user,
                                    actor=request_actor(request), session_id=request_session_id(request))
        return Response(TaskSerializer(task).data)


# --- projects ---------------------------------------------------------------------------------

class ProjectListCreateApi(GenericAPIView):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.project_queryset(user=self.request.user)

    @extend_schema(summary="List projects, initiatives and goals (filters: status, type, parent_id, top_level, "
                           "client_id, search; ordering)",
                   responses={200: ProjectSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ProjectSerializer(page, many=True).data)

    @extend_schema(summary="Create a project, initiative or goal", request=ProjectWriteSerializer,
                   responses={201: ProjectSerializer, **errors(400, 401)})
    def post(self, request):
        serializer = ProjectWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = projects.project_create(**request_attribution_kwargs(request), **serializer.validated_data)
        return Response(ProjectSerializer(selectors.project_get(user=request.user, project_id=project.pk)).data,
                        status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    def _project(self, request, project_id) -> Project:
        return get_object_or_404(selectors.project_queryset(user=request.user), pk=project_id)

    @extend_schema(summary="Get a project", responses={200: ProjectSerializer, **errors(401, 404)})
    def get(self, request, project_id):
        return Response(ProjectSerializer(self._project(request, project_id)).data)

    @extend_schema(summary="Update a project (any subset of fields; archive with status \"archived\")",
                   request=ProjectWriteSerializer, responses={200: ProjectSerializer, **errors(400, 401, 404)})
    def put(self, request, project_id):
        project = self._project(request, project_id)
        serializer = ProjectWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        projects.project_update(project=project, **request_attribution_kwargs(request), **serializer.validated_data)
        return Response(ProjectSerializer(self._project(request, project_id)).data)

    patch = put

    @extend_schema(summary="Delete a project (409 while it has tasks or child projects: archive it)",
                   responses={204: None, **errors(401, 404, 409)})
    def delete(self, request, project_id):
        projects.project_delete(project=self._project(request, project_id), **request_attribution_kwargs(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
