"""Playbooks for Claude (seed: "Playbooks" endpoints, "Must-Consult Enforcement"). Thin: validate the
query, call one selector or service, serialize.

Reading a playbook's full content is what consulting it means: GET /api/playbooks/{id} records the
consultation (with ?task_id= for that task), which is what completing the task checks for
must-consult playbooks. The list and the match answer summaries only, so they never count as one.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_actor, request_session_id
from apps.tasks.selectors import task_queryset
from expertly.api_docs import errors
from expertly.errors import NotFound

from . import selectors, services
from .matching import playbooks_match
from .models import Playbook
from .serializers import (
    PlaybookListQuerySerializer,
    PlaybookMatchQuerySerializer,
    PlaybookMatchSerializer,
    PlaybookSerializer,
    PlaybookServeQuerySerializer,
    PlaybookSummarySerializer,
)


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PlaybookListApi(GenericAPIView):
    serializer_class = PlaybookSummarySerializer
    queryset = Playbook.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="List playbooks (active ones unless status says otherwise)",
                   description="Summaries with a content preview; GET /api/playbooks/{id} serves the full content.",
                   parameters=[PlaybookListQuerySerializer],
                   responses={200: PlaybookSummarySerializer(many=True), **errors(400, 401)})
    def get(self, request):
        filters = _query(PlaybookListQuerySerializer, request)
        page = self.paginate_queryset(selectors.playbook_list(user=request.user, filters=filters))
        return self.get_paginated_response(PlaybookSummarySerializer(page, many=True).data)


class PlaybookDetailApi(APIView):
    @extend_schema(summary="Get a playbook's full content (this is consulting it)",
                   description="Counts as a use (use_count, last_used). Pass `task_id` when consulting it for a "
                               "task: completing that task then raises no must-consult warning for this playbook.",
                   parameters=[PlaybookServeQuerySerializer],
                   responses={200: PlaybookSerializer, **errors(400, 401, 404)})
    def get(self, request, playbook_id):
        task_id = _query(PlaybookServeQuerySerializer, request)["task_id"]
        playbook = selectors.playbook_get(user=request.user, playbook_id=playbook_id)
        task = None
        if task_id is not None:
            task = task_queryset(user=request.user).filter(pk=task_id).first()
            if task is None:
                raise NotFound(f"task_id: no task {task_id} in this workspace.")
        playbook = services.playbook_serve(playbook=playbook, user=request.user, task=task,
                                           actor=request_actor(request), session_id=request_session_id(request))
        return Response(PlaybookSerializer(playbook).data)


class PlaybookMatchApi(APIView):
    @extend_schema(summary="Which playbooks apply to a task, and which must be consulted",
                   description="Trigger phrases match case-insensitively as whole phrases (relevance 1.0); "
                               "otherwise full-text similarity above 0.5. `must_consult` lists the must-consult "
                               "playbooks that apply, each with the warning to heed: read them with "
                               "GET /api/playbooks/{id}?task_id=<task id> before doing the work.",
                   parameters=[PlaybookMatchQuerySerializer],
                   responses={200: PlaybookMatchSerializer, **errors(400, 401)})
    def get(self, request):
        text = _query(PlaybookMatchQuerySerializer, request)["task_description"]
        return Response(PlaybookMatchSerializer(playbooks_match(user=request.user, text=text)).data)
