"""Playbooks for Claude (seed: "Playbooks" endpoints, "Must-Consult Enforcement", "Playbook Proposal
Workflow"). Thin: validate the query or body, call one selector or service, serialize.

Reading a playbook's full content is what consulting it means: GET /api/playbooks/{id} records the
consultation (with ?task_id= for that task), which is what completing the task checks for
must-consult playbooks. The list and the match answer summaries only, so they never count as one;
nor does an export (it is a file for safekeeping, not a reading for a task).

Creating: POST /api/playbooks makes a playbook in force at once (active), as the seed has it: the
owner's own, or one he asked Claude to write down. What Claude learns by itself it proposes
(POST /api/playbooks/propose); a proposal is matched to no task until approved. Every write is
attributed in the audit Log to whoever made it (an API key: claude; a browser session: the owner).

Id routes look the playbook up before reading the body, so another workspace's id is a 404 whatever
the body says.
"""

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

from . import portable, selectors, services
from .filters import PlaybookListQuerySerializer
from .matching import playbooks_match
from .models import Playbook, PlaybookStatus
from .serializers import (
    PlaybookCreateSerializer,
    PlaybookFileSerializer,
    PlaybookImportResultSerializer,
    PlaybookImportSerializer,
    PlaybookMatchQuerySerializer,
    PlaybookMatchSerializer,
    PlaybookProposalSerializer,
    PlaybookProposeSerializer,
    PlaybookRejectSerializer,
    PlaybookSerializer,
    PlaybookServeQuerySerializer,
    PlaybookSummarySerializer,
    PlaybookWriteSerializer,
)


def _fields(request, data: dict) -> dict:
    """Validated body → service keyword arguments (the source task resolved in the caller's workspace)."""
    if "source_task_id" in data:
        data["source_task"] = reference_get(Task, user=request.user, field="source_task_id", value=data.pop("source_task_id"))
    return data


def _playbook(request, playbook_id) -> Playbook:
    return selectors.playbook_get(user=request.user, playbook_id=playbook_id)  # unknown or foreign id: 404


class PlaybookListApi(GenericAPIView):
    serializer_class = PlaybookSummarySerializer
    queryset = Playbook.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="List playbooks (active ones unless status says otherwise)",
                   description="Summaries with a content preview; GET /api/playbooks/{id} serves the full content.",
                   parameters=[PlaybookListQuerySerializer],
                   responses={200: PlaybookSummarySerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(selectors.playbook_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(PlaybookSummarySerializer(page, many=True).data)

    @extend_schema(summary="Create a playbook (active at once unless status is proposed)",
                   description="For playbooks the owner wants in force now (an active one needs the owner: 403 "
                               "owner_decision for an agent key). What Claude learned by itself goes "
                               "through POST /api/playbooks/propose instead, for the owner to review. "
                               "`source_task_id` must be a task of this workspace (400 naming it otherwise).",
                   request=PlaybookCreateSerializer, responses={201: PlaybookSerializer, **errors(400, 401, 403)})
    def post(self, request):
        data = _fields(request, validated(PlaybookCreateSerializer, request.data))
        create = services.playbook_propose if data.pop("status") == PlaybookStatus.PROPOSED else services.playbook_create
        playbook = create(by=request_attribution(request), **data)
        return Response(PlaybookSerializer(playbook).data, status=status.HTTP_201_CREATED)


class PlaybookDetailApi(APIView):
    @extend_schema(summary="Get a playbook's full content (this is consulting it)",
                   description="Counts as a use (use_count, last_used). Pass `task_id` when consulting it for a "
                               "task: completing that task then raises no must-consult warning for this playbook.",
                   parameters=[PlaybookServeQuerySerializer],
                   responses={200: PlaybookSerializer, **errors(400, 401, 404)})
    def get(self, request, playbook_id):
        task_id = validated(PlaybookServeQuerySerializer, request.query_params)["task_id"]
        playbook = _playbook(request, playbook_id)
        task = selectors.playbook_consulting_task(user=request.user, task_id=task_id)
        playbook = services.playbook_serve(playbook=playbook, task=task, by=request_attribution(request))
        return Response(PlaybookSerializer(playbook).data)

    @extend_schema(summary="Update a playbook (any subset of fields; not status)",
                   description="Changing an active playbook, or making one must-consult, is the owner's decision "
                               "(403 owner_decision for an agent key); an agent may edit a proposal. "
                               "Active and proposed playbooks only: rejected and archived ones are kept for the "
                               "record (409). Status moves with /approve, /reject and /archive. PATCH is the same.",
                   request=PlaybookWriteSerializer(partial=True),
                   responses={200: PlaybookSerializer, **errors(400, 401, 403, 404, 409)})
    def put(self, request, playbook_id):
        playbook = _playbook(request, playbook_id)
        changes = _fields(request, validated(PlaybookWriteSerializer, request.data, partial=True))
        playbook = services.playbook_update(playbook=playbook, by=request_attribution(request), **changes)
        return Response(PlaybookSerializer(playbook).data)

    @extend_schema(summary="Update a playbook (same as PUT: any subset of fields)",
                   request=PlaybookWriteSerializer(partial=True),
                   responses={200: PlaybookSerializer, **errors(400, 401, 403, 404, 409)})
    def patch(self, request, playbook_id):
        return self.put(request, playbook_id)


class PlaybookMatchApi(APIView):
    @extend_schema(summary="Which playbooks apply to a task, and which must be consulted",
                   description="Trigger phrases match case-insensitively as whole phrases (relevance 1.0); "
                               "otherwise full-text similarity above 0.5. `must_consult` lists the must-consult "
                               "playbooks that apply, each with the warning to heed: read them with "
                               "GET /api/playbooks/{id}?task_id=<task id> before doing the work.",
                   parameters=[PlaybookMatchQuerySerializer],
                   responses={200: PlaybookMatchSerializer, **errors(400, 401)})
    def get(self, request):
        text = validated(PlaybookMatchQuerySerializer, request.query_params)["task_description"]
        return Response(PlaybookMatchSerializer(playbooks_match(user=request.user, text=text)).data)


class PlaybookProposeApi(APIView):
    @extend_schema(summary="Propose a playbook Claude learned (status proposed, for the owner to approve)",
                   description="The seed's body {name, description, content, learned_from, source_task_id}; "
                               "category, triggers and must_consult may be suggested too. A proposal is matched to "
                               "no task until approved (PUT /api/playbooks/{id}/approve). `source_task_id` must be "
                               "a task of this workspace (400 naming it otherwise).",
                   request=PlaybookProposeSerializer, responses={201: PlaybookProposalSerializer, **errors(400, 401)})
    def post(self, request):
        data = _fields(request, validated(PlaybookProposeSerializer, request.data))
        playbook = services.playbook_propose(by=request_attribution(request), **data)
        return Response(PlaybookProposalSerializer({"playbook": playbook}).data, status=status.HTTP_201_CREATED)


class PlaybookApproveApi(APIView):
    @extend_schema(summary="Approve a proposed playbook (proposed → active: matched to tasks from now on)",
                   request=None, responses={200: PlaybookSerializer, **errors(401, 403, 404, 409)})
    def put(self, request, playbook_id):
        playbook = services.playbook_approve(playbook=_playbook(request, playbook_id), by=request_attribution(request))
        return Response(PlaybookSerializer(playbook).data)


class PlaybookRejectApi(APIView):
    @extend_schema(summary="Reject a proposed playbook with a reason (proposed → rejected, kept for the record)",
                   request=PlaybookRejectSerializer, responses={200: PlaybookSerializer, **errors(400, 401, 403, 404, 409)})
    def put(self, request, playbook_id):
        playbook = _playbook(request, playbook_id)
        reason = validated(PlaybookRejectSerializer, request.data)["reason"]
        playbook = services.playbook_reject(playbook=playbook, reason=reason, by=request_attribution(request))
        return Response(PlaybookSerializer(playbook).data)


class PlaybookArchiveApi(APIView):
    @extend_schema(summary="Archive an active playbook (active → archived: no longer matched, kept for the record)",
                   request=None, responses={200: PlaybookSerializer, **errors(401, 404, 409)})
    def put(self, request, playbook_id):
        playbook = services.playbook_archive(playbook=_playbook(request, playbook_id), by=request_attribution(request))
        return Response(PlaybookSerializer(playbook).data)


class PlaybookExportApi(APIView):
    @extend_schema(summary="Export a playbook as a .md file (YAML front matter + markdown)",
                   description="JSON {filename, content}: `content` is the file's text in the seed's Playbook "
                               "Structure format. POST it as is to /api/playbooks/import to restore it, here or in "
                               "another workspace; export → import → export gives the same text. Not a consultation.",
                   responses={200: PlaybookFileSerializer, **errors(401, 404)})
    def get(self, request, playbook_id):
        playbook = _playbook(request, playbook_id)
        return Response(PlaybookFileSerializer({"filename": portable.playbook_filename(playbook=playbook),
                                                "content": portable.playbook_export(playbook=playbook)}).data)


class PlaybookImportApi(APIView):
    @extend_schema(summary="Import a playbook .md file (creates it, or updates the one of that name)",
                   description="The active or proposed playbook with the file's `name` is updated to match the file "
                               "(status, usage and source task stay): 200, created false. Otherwise a new active "
                               "playbook: 201, created true. A front matter problem is a 400 naming the key; several "
                               "live playbooks of that name, a 409.",
                   request=PlaybookImportSerializer,
                   responses={200: PlaybookImportResultSerializer, 201: PlaybookImportResultSerializer,
                              **errors(400, 401, 403, 409)})
    def post(self, request):
        text = validated(PlaybookImportSerializer, request.data)["content"]
        playbook, created = services.playbook_import(text=text, by=request_attribution(request))
        return Response(PlaybookImportResultSerializer({"created": created, "playbook": playbook}).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
