"""Claude's work-loop API for tasks (seed: "Task Management") and projects. Thin: validate, call one
service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_actor, request_session_id
from apps.core.api_docs import errors
from apps.core.selectors import reference_get
from apps.questions.selectors import question_get

from ..filters import TaskFilter
from ..models import Project, Task
from ..selectors import tasks as selectors
from ..services import tasks as services
from .serializers import (
    CompletionSerializer,
    StartPayloadSerializer,
    TaskBlockResponseSerializer,
    TaskBlockSerializer,
    TaskCompleteSerializer,
    TaskSerializer,
    TaskWriteSerializer,
    WorkPayloadSerializer,
    start_payload,
    work_payload,
)


def _task_fields(request, data: dict) -> dict:
    """Serializer output → service keyword arguments (ids resolved within the caller's workspace)."""
    fields = dict(data)
    if "project_id" in fields:
        fields["project"] = reference_get(Project, user=request.user, field="project_id", value=fields.pop("project_id"))
    if "people" in fields:
        fields["people"] = selectors.people_for_user(user=request.user, people=fields["people"])
    return fields


def _work_response(request, task: Task | None) -> Response:
    context = selectors.task_context(task=task, user=request.user) if task else None
    return Response(work_payload(task, context))


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


class TaskNextApi(APIView):
    @extend_schema(summary="The next task to work on (no side effects)",
                   description="Highest-priority unblocked queued task assigned to Claude: priority 1 first, then due "
                               "date, then oldest. `task` is null when there is none. Take it with POST "
                               "/api/tasks/{id}/start, or use POST /api/tasks/claim to pick and start in one step.",
                   responses={200: WorkPayloadSerializer, **errors(401)})
    def get(self, request):
        return _work_response(request, selectors.task_next(user=request.user))


class TaskClaimApi(APIView):
    @extend_schema(summary="Pick the next task and start it, atomically (several agents at once)",
                   request=None, responses={200: WorkPayloadSerializer, **errors(401)})
    def post(self, request):
        task = services.task_claim(user=request.user, actor=request_actor(request),
                                   session_id=request_session_id(request))
        return _work_response(request, task)


class TaskStartApi(APIView):
    @extend_schema(summary="Start a queued task (409 if another agent got it first)", request=None,
                   description="Answers the seed's {task, context, playbooks}; `playbooks` is the same list as "
                               "`matched_playbooks`, and `must_consult_warnings` are as in GET /api/tasks/next.",
                   responses={200: StartPayloadSerializer, **errors(401, 404, 409)})
    def post(self, request, task_id):
        task = get_object_or_404(selectors.task_queryset(user=request.user), pk=task_id)
        task = services.task_start(task=task, user=request.user, actor=request_actor(request),
                                   session_id=request_session_id(request))
        task = selectors.task_get(user=request.user, task_id=task.pk)
        return Response(start_payload(task, selectors.task_context(task=task, user=request.user)))


class TaskCompleteApi(APIView):
    @extend_schema(summary="Complete a working task (the knowledge step is mandatory)",
                   description="Send `learnings_captured` (true/false; the seed's name `knowledge_captured` is taken "
                               "too) or inline `knowledge` items; without either the answer is 400 asking what you "
                               "learned. A task that is not working is a 409 naming its state, whatever the body. "
                               "`warnings` lists must-consult playbooks that matched the task but were not consulted.",
                   request=TaskCompleteSerializer, responses={200: CompletionSerializer, **errors(400, 401, 404, 409)})
    def post(self, request, task_id):
        task = get_object_or_404(selectors.task_queryset(user=request.user), pk=task_id)
        serializer = TaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        follow_ups = [_task_fields(request, spec) for spec in data.get("follow_up_tasks", [])]
        completion = services.task_complete(
            task=task, user=request.user, output=data.get("output"), learnings_captured=data["learnings_captured"],
            knowledge=data.get("knowledge"), follow_up_tasks=follow_ups, actor=request_actor(request),
            session_id=request_session_id(request),
        )
        return Response({
            "task": TaskSerializer(selectors.task_get(user=request.user, task_id=task.pk)).data,
            "warnings": completion.warnings,
            "knowledge": [{"id": str(k.pk), "content": k.content, "category": k.category, "status": k.status}
                          for k in completion.knowledge],
            "follow_up_tasks": TaskSerializer(completion.follow_up_tasks, many=True).data,
        })


class TaskBlockApi(APIView):
    @extend_schema(summary="Block a task with a question for the owner", request=TaskBlockSerializer,
                   responses={200: TaskBlockResponseSerializer, **errors(400, 401, 404, 409)})
    def post(self, request, task_id):
        task = get_object_or_404(selectors.task_queryset(user=request.user), pk=task_id)
        serializer = TaskBlockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task, question = services.task_block(task=task, user=request.user, actor=request_actor(request),
                                             session_id=request_session_id(request), **serializer.validated_data)
        return Response(TaskBlockResponseSerializer({
            "task": selectors.task_get(user=request.user, task_id=task.pk),
            "question": question_get(user=request.user, question_id=question.pk)}).data)
