"""Knowledge capture for Claude (seed: "Knowledge Capture (The Learning System)"). Thin: validate,
call one service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors
from apps.core.selectors import reference_get
from apps.tasks.models import Task

from . import selectors, services
from .filters import KnowledgeListQuerySerializer
from .models import Knowledge
from .serializers import (
    CaptureResultSerializer,
    KnowledgeCaptureSerializer,
    KnowledgeDismissSerializer,
    KnowledgeRouteSerializer,
    KnowledgeSerializer,
    TriggerAddSerializer,
    TriggerPhrasesSerializer,
    capture_result,
)
from .triggers import trigger_phrases_for


def _knowledge(request, knowledge_id) -> Knowledge:
    return get_object_or_404(selectors.knowledge_queryset(user=request.user), pk=knowledge_id)


class KnowledgeListApi(GenericAPIView):
    serializer_class = KnowledgeSerializer
    queryset = Knowledge.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="List captured knowledge, newest first", parameters=[KnowledgeListQuerySerializer],
                   responses={200: KnowledgeSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(selectors.knowledge_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(KnowledgeSerializer(page, many=True).data)


class KnowledgeCaptureApi(APIView):
    @extend_schema(
        summary="Capture a learning and route it to the right entity (mandatory after tasks)",
        description="person → the person's communication_notes (how to communicate) or context_notes; client → "
                    "notes; project → description; playbook → a new proposed playbook; rule → the Rules playbook; "
                    "setting → your settings. The person, client or project is target_id when given, else the one "
                    "the content names; none or several → status pending_review with `candidates`, nothing "
                    "written, `routed_to` null.",
        request=KnowledgeCaptureSerializer, responses={201: CaptureResultSerializer, **errors(400, 401)})
    def post(self, request):
        data = dict(validated(KnowledgeCaptureSerializer, request.data))
        source_task = reference_get(Task, user=request.user, field="source_task_id", value=data.pop("source_task_id"))
        capture = services.knowledge_capture(by=request_attribution(request), source_task=source_task, **data)
        return Response(capture_result(capture), status=status.HTTP_201_CREATED)


class KnowledgePendingApi(GenericAPIView):
    serializer_class = KnowledgeSerializer
    queryset = Knowledge.objects.none()

    @extend_schema(summary="Knowledge awaiting review or routing (captured and pending_review), oldest first",
                   description="A trigger-phrase entry still `captured` blocks completing its task (400 "
                               "trigger_phrase_not_captured) until it is routed (POST /api/knowledge/{id}/route, or "
                               "inline in the completion as `knowledge: [{knowledge_id, category?}]`) or dismissed "
                               "(POST /api/knowledge/{id}/dismiss). Capturing another learning or "
                               "`learnings_captured: true` does not settle it.",
                   responses={200: KnowledgeSerializer(many=True), **errors(401)})
    def get(self, request):
        page = self.paginate_queryset(selectors.knowledge_pending(user=request.user))
        return self.get_paginated_response(KnowledgeSerializer(page, many=True).data)


class KnowledgeTriggersApi(APIView):
    @extend_schema(summary="Trigger phrases to watch for (the seed's plus your own)",
                   responses={200: TriggerPhrasesSerializer, **errors(401)})
    def get(self, request):
        return Response(trigger_phrases_for(user=request.user))

    @extend_schema(summary="Add a trigger phrase of your own (201; 200 when it is already one)",
                   request=TriggerAddSerializer, responses={201: TriggerPhrasesSerializer, 200: TriggerPhrasesSerializer,
                                                            **errors(400, 401)})
    def post(self, request):
        phrase = validated(TriggerAddSerializer, request.data)["phrase"]
        phrases, added = services.knowledge_trigger_add(by=request_attribution(request), phrase=phrase)
        return Response(phrases, status=status.HTTP_201_CREATED if added else status.HTTP_200_OK)


class KnowledgeDetailApi(APIView):
    @extend_schema(summary="Get a knowledge entry", responses={200: KnowledgeSerializer, **errors(401, 404)})
    def get(self, request, knowledge_id):
        return Response(KnowledgeSerializer(_knowledge(request, knowledge_id)).data)


class KnowledgeRouteApi(APIView):
    @extend_schema(summary="Route a captured or pending_review entry by hand",
                   description="409 when it is already routed or dismissed; 400 for a target_id not in this workspace. "
                               "Routing a trigger-phrase entry settles it: it no longer blocks completing its task "
                               "(even when routing leaves it in pending_review).",
                   request=KnowledgeRouteSerializer, responses={200: CaptureResultSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, knowledge_id):
        knowledge = _knowledge(request, knowledge_id)
        data = validated(KnowledgeRouteSerializer, request.data)
        capture = services.knowledge_route(knowledge=knowledge, by=request_attribution(request), **data)
        return Response(capture_result(capture))


class KnowledgeDismissApi(APIView):
    @extend_schema(summary="Dismiss a captured or pending_review entry that is not worth keeping",
                   description="A reason is required. Dismissing a trigger-phrase entry settles it: it no longer "
                               "blocks completing its task. 409 when it is already routed or dismissed.",
                   request=KnowledgeDismissSerializer, responses={200: KnowledgeSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, knowledge_id):
        knowledge = _knowledge(request, knowledge_id)
        reason = validated(KnowledgeDismissSerializer, request.data)["reason"]
        knowledge = services.knowledge_dismiss(knowledge=knowledge, by=request_attribution(request), reason=reason)
        return Response(KnowledgeSerializer(knowledge).data)
