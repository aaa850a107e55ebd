"""Context retrieval (seed: "Context Retrieval"): what Claude reads before working on a task or a
project, or dealing with a person or a client, and the full-text search over the workspace. Thin:
one selector, one response serializer."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api_docs import errors
from apps.people.selectors import client_queryset, person_queryset
from apps.tasks.selectors.projects import project_queryset
from apps.tasks.selectors.tasks import task_queryset

from .selectors import people, search, tasks
from .serializers import (
    ClientContextResponseSerializer,
    ContextSearchParamsSerializer,
    ContextSearchSerializer,
    PersonContextResponseSerializer,
    ProjectContextResponseSerializer,
    TaskContextResponseSerializer,
)


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
        task = get_object_or_404(task_queryset(user=request.user), pk=task_id)
        return Response(TaskContextResponseSerializer(tasks.task_context_full(task=task, user=request.user)).data)


class ProjectContextApi(APIView):
    @extend_schema(
        summary="A project with its parent, child projects, tasks, people and history",
        description="Also its tasks by status and the playbooks that match it. Lists hold at most 50 "
        "entries (history 20); `counts` has the totals.",
        responses={200: ProjectContextResponseSerializer, **errors(401, 404)},
    )
    def get(self, request, project_id):
        project = get_object_or_404(project_queryset(user=request.user), pk=project_id)
        return Response(ProjectContextResponseSerializer(tasks.project_context(project=project, user=request.user)).data)


class PersonContextApi(APIView):
    @extend_schema(
        summary="Everything to know before dealing with a person",
        description="The person with relationship context (relationship_to_user, political_context, "
        "communication_notes), their client, the open tasks they are on, what we are waiting "
        "on them for, recent history, and the playbooks that apply (communication ones "
        "always). Lists hold at most 50 entries (history 20); `counts` has the totals.",
        responses={200: PersonContextResponseSerializer, **errors(401, 404)},
    )
    def get(self, request, person_id):
        person = get_object_or_404(person_queryset(user=request.user), pk=person_id)
        return Response(PersonContextResponseSerializer(people.person_context(person=person, user=request.user)).data)


class ClientContextApi(APIView):
    @extend_schema(
        summary="A client with its people, sales opportunities, projects and open tasks",
        description="Also its recent history (the client's, its people's and its projects') and the "
        "playbooks that apply (sales and communication ones always). Lists hold at most 50 "
        "entries (history 20); `counts` has the totals.",
        responses={200: ClientContextResponseSerializer, **errors(401, 404)},
    )
    def get(self, request, client_id):
        client = get_object_or_404(client_queryset(user=request.user), pk=client_id)
        return Response(ClientContextResponseSerializer(people.client_context(client=client, user=request.user)).data)


class ContextSearchApi(APIView):
    @extend_schema(
        summary="Full-text search over tasks, people, playbooks, projects and clients, best match first",
        description="`q` takes web-search syntax: `proposal liberty` (both words), `\"follow up\"` (the phrase), "
                    "`email or slack`, `-draft` (without the word). Words are stemmed (`drafting` finds `draft`). "
                    "A match in a name or title ranks above one in the body.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="The search, in web-search syntax."),
            OpenApiParameter("entity_types", OpenApiTypes.STR, many=True, enum=search.ENTITY_TYPES, explode=True,
                             description="Repeat it or separate with commas; all types when absent."),
            OpenApiParameter("limit", OpenApiTypes.INT,
                             description=f"Results in all (1 to {search.MAX_LIMIT}, default {search.DEFAULT_LIMIT})."),
        ],
        responses={200: ContextSearchSerializer, **errors(400, 401)},
    )
    def get(self, request):
        params = ContextSearchParamsSerializer.from_query_params(request.query_params)
        params.is_valid(raise_exception=True)
        results = search.context_search(user=request.user, **params.validated_data)
        return Response(ContextSearchSerializer(results).data)
