"""Claude's work loop over tasks (seed: "Task Management"): next, claim, start, complete, block; and
the owner's brake on it (pause the workspace, stop a working task). Thin: validate, call one service
or selector, serialize its result."""

from dataclasses import replace

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors
from apps.questions.selectors import question_get
from apps.questions.services import task_block
from apps.tasks.api.serializers import TaskSerializer
from apps.tasks.models import Task
from apps.tasks.selectors.tasks import task_get, task_queryset, task_references_get
from apps.tasks.services.tasks import task_stop
from apps.tenants.selectors import workspace_current
from apps.tenants.services import workspace_pause

from .selectors import work_claimed, work_get, work_next
from .serializers import (
    CompletionSerializer,
    PauseSerializer,
    PauseStateSerializer,
    StartPayloadSerializer,
    TaskBlockResponseSerializer,
    TaskBlockSerializer,
    TaskCompleteSerializer,
    TaskStopSerializer,
    WorkPayloadSerializer,
)
from .services import task_claim, work_complete, work_start


def _task(request, task_id) -> Task:
    return get_object_or_404(task_queryset(user=request.user), pk=task_id)


class TaskNextApi(APIView):
    @extend_schema(summary="The next task to work on (no side effects)",
                   description="Highest-priority unblocked queued task assigned to Claude: priority 1 first, then due "
                               "date, then oldest. `task` is null when there is none (`reason` paused: the owner "
                               "paused Claude). Take it with POST "
                               "/api/tasks/{id}/start, or use POST /api/tasks/claim to pick and start in one step.",
                   responses={200: WorkPayloadSerializer, **errors(401)})
    def get(self, request):
        return Response(WorkPayloadSerializer(work_next(user=request.user)).data)


class TaskClaimApi(APIView):
    @extend_schema(summary="Pick the next task and start it, atomically (several agents at once)",
                   request=None, responses={200: WorkPayloadSerializer, **errors(401)})
    def post(self, request):
        task = task_claim(by=request_attribution(request))
        return Response(WorkPayloadSerializer(work_claimed(task=task, user=request.user)).data)


class TaskStartApi(APIView):
    @extend_schema(summary="Start a queued task (409 if another agent got it first)", request=None,
                   description="Answers the seed's {task, context, playbooks}; `playbooks` is the same list as "
                               "`matched_playbooks`, and `must_consult_warnings` are as in GET /api/tasks/next. 409 "
                               "paused while the owner has paused Claude, stopped_by_owner for a task he stopped.",
                   responses={200: StartPayloadSerializer, **errors(401, 404, 409)})
    def post(self, request, task_id):
        task = work_start(task=_task(request, task_id), by=request_attribution(request))
        task = task_get(user=request.user, task_id=task.pk)
        return Response(StartPayloadSerializer(work_get(task=task, user=request.user)).data)


class TaskCompleteApi(APIView):
    @extend_schema(summary="Complete a working task (the knowledge step is mandatory)",
                   description="Send `learnings_captured` (true/false; the seed's name `knowledge_captured` is taken "
                               "too) or inline `knowledge` items; without either the answer is 400 asking what you "
                               "learned. A task that is not working is a 409 naming its state, whatever the body. "
                               "`warnings` lists must-consult playbooks that matched the task but were not consulted.",
                   request=TaskCompleteSerializer, responses={200: CompletionSerializer, **errors(400, 401, 404, 409)})
    def post(self, request, task_id):
        task = _task(request, task_id)
        data = validated(TaskCompleteSerializer, request.data)
        follow_ups = [task_references_get(user=request.user, fields=spec) for spec in data.get("follow_up_tasks", [])]
        completion = work_complete(
            task=task, by=request_attribution(request), output=data.get("output"), learnings_captured=data["learnings_captured"],
            knowledge=data.get("knowledge"), follow_up_tasks=follow_ups,
        )
        completion = replace(completion, task=task_get(user=request.user, task_id=task.pk))  # as GET /api/tasks/{id}
        return Response(CompletionSerializer(completion).data)


class TaskBlockApi(APIView):
    @extend_schema(summary="Block a task with a question for the owner", request=TaskBlockSerializer,
                   responses={200: TaskBlockResponseSerializer, **errors(400, 401, 404, 409)})
    def post(self, request, task_id):
        task = _task(request, task_id)
        fields = validated(TaskBlockSerializer, request.data)
        task, question = task_block(task=task, by=request_attribution(request), **fields)
        return Response(TaskBlockResponseSerializer({
            "task": task_get(user=request.user, task_id=task.pk),
            "question": question_get(user=request.user, question_id=question.pk)}).data)


class WorkspacePauseApi(APIView):
    @extend_schema(summary="Whether the owner has paused Claude for this workspace",
                   responses={200: PauseStateSerializer, **errors(401)})
    def get(self, request):
        return Response(PauseStateSerializer(workspace_current()).data)

    @extend_schema(summary="Pause or resume Claude for the workspace (the owner's brake)",
                   description="While paused, GET /api/tasks/next and POST /api/tasks/claim answer no task with "
                               "reason paused, and POST /api/tasks/{id}/start answers 409 paused. Only the owner "
                               "(a session or an owner key) pauses or resumes: 403 owner_decision for an agent key.",
                   request=PauseSerializer, responses={200: PauseStateSerializer, **errors(400, 401, 403)})
    def put(self, request):
        data = validated(PauseSerializer, request.data)
        tenant = workspace_pause(by=request_attribution(request), paused=data["paused"], note=data.get("note"))
        return Response(PauseStateSerializer(tenant).data)


class TaskStopApi(APIView):
    @extend_schema(summary="Stop the task Claude is working on (the owner's brake)",
                   description="The task is cancelled with the note; Claude's next call on it answers 409 "
                               "stopped_by_owner carrying the note. Only a working task is stopped (409 otherwise); "
                               "only the owner stops (403 owner_decision for an agent key).",
                   request=TaskStopSerializer, responses={200: TaskSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, task_id):
        task = _task(request, task_id)
        note = validated(TaskStopSerializer, request.data)["note"]
        task = task_stop(task=task, by=request_attribution(request), note=note)
        return Response(TaskSerializer(task_get(user=request.user, task_id=task.pk)).data)

