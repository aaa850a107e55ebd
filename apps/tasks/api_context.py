"""Context retrieval for tasks and projects (seed: "Context Retrieval"): what Claude reads before
working. Thin: one selector, one response serializer."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api_docs import errors

from .api.serializers import ProjectContextResponseSerializer, TaskContextResponseSerializer
from .selectors import tasks as selectors
from .selectors.projects import project_queryset


class TaskContextApi(APIView):
    @extend_schema(
        summary="Full context for a task",
        description="The seed's {task, project, related_people: [{person, relationship_context}], "
        "related_tasks, history, relevant_playbooks}. relationship_context carries the "
        "person's role on the task, relationship_to_user, political_context and "
        "communication_notes. A must-consult playbook has a `warning`: read it in full with "
        "GET /api/playbooks/{id}?task_id={task id} before the work.",
        responses={200: TaskContextResponseSerializer, **errors(401, 404)},
    )
    def get(self, request, task_id):
        task = get_object_or_404(selectors.task_queryset(user=request.user), pk=task_id)
        return Response(TaskContextResponseSerializer(selectors.task_context_full(task=task, user=request.user)).data)


class ProjectContextApi(APIView):
    @extend_schema(
        summary="A project with its parent, child projects, tasks, people and history",
        description="Also its tasks by status and the playbooks that match it. Lists hold at most 50 "
        "entries; `counts` has the totals.",
        responses={200: ProjectContextResponseSerializer, **errors(401, 404)},
    )
    def get(self, request, project_id):
        project = get_object_or_404(project_queryset(user=request.user), pk=project_id)
        return Response(ProjectContextResponseSerializer(selectors.project_context(project=project, user=request.user)).data)
