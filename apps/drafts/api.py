"""Drafts for the owner to review (seed: "Drafts" endpoints, principle 2: draft but never send).
Thin: validate, call one service or selector, serialize. The draft is looked up before the body is
validated, so an id of another workspace is a 404 whatever the body."""

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
from apps.people.models import Person
from apps.tasks.models import Task

from . import selectors, services
from .filters import DraftFilter
from .models import Draft
from .serializers import (
    DraftApproveResultSerializer,
    DraftCreateResultSerializer,
    DraftCreateSerializer,
    DraftDetailSerializer,
    DraftRejectResultSerializer,
    DraftRejectSerializer,
    DraftReviseResultSerializer,
    DraftReviseSerializer,
    DraftSerializer,
    DraftUpdateResultSerializer,
    DraftUpdateSerializer,
)


def _draft(request, draft_id) -> Draft:
    return get_object_or_404(selectors.draft_queryset(user=request.user), pk=draft_id)



def _task_of(request, task_id):
    return reference_get(Task, user=request.user, field="task_id", value=task_id)


def _person_of(request, person_id):
    return reference_get(Person, user=request.user, field="person_id", value=person_id,
                         queryset=selectors.draft_people(user_id=request.user.pk))


class DraftListCreateApi(GenericAPIView):
    serializer_class = DraftSerializer
    filterset_class = DraftFilter  # for the schema; selectors.draft_list runs it
    queryset = Draft.objects.none()

    @extend_schema(summary="List drafts (newest first)", responses={200: DraftSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        drafts = self.paginate_queryset(selectors.draft_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(DraftSerializer(drafts, many=True).data)

    @extend_schema(summary="Create a draft for the owner to review (never sent by Expertly)",
                   description="The recipient's relationship context (the person's relationship fields and their "
                               "client, and the task's other people) is looked up and snapshotted into "
                               "`relationship_context`: give `person_id`, or a `recipient` naming an email address "
                               "or full name, or a task with a recipient. `warnings` lists must-consult "
                               "communication playbooks of the task that were not consulted (read them with "
                               "GET /api/playbooks/{id}?task_id=…) and recipients that could not be resolved.",
                   request=DraftCreateSerializer, responses={201: DraftCreateResultSerializer, **errors(400, 401)})
    def post(self, request):
        data = validated(DraftCreateSerializer, request.data)
        task, person = _task_of(request, data.pop("task_id", None)), _person_of(request, data.pop("person_id", None))
        result = services.draft_create(task=task, person=person, **data, by=request_attribution(request))
        return Response(DraftCreateResultSerializer(result).data, status=status.HTTP_201_CREATED)


class DraftDetailApi(APIView):
    @extend_schema(summary="Get a draft with its context and its whole revision chain (oldest first)",
                   responses={200: DraftDetailSerializer, **errors(401, 404)})
    def get(self, request, draft_id):
        draft, chain = selectors.draft_with_chain(user=request.user, draft_id=draft_id)
        return Response(DraftDetailSerializer(draft, context={"chain": chain}).data)

    @extend_schema(summary="Update a pending draft (any subset of type, recipient, subject, body, task_id, person_id)",
                   description="Only a pending draft is edited in place: a rejected one is revised (POST "
                               "/api/drafts/{id}/revise), an approved or revised one is final (409 saying so). "
                               "Changing person_id, recipient or task_id looks the recipient up again; a different "
                               "person means `relationship_context` is snapshotted afresh, with the same `warnings` as "
                               "on creation. An update that changes nothing writes and logs nothing. PATCH is the same.",
                   request=DraftUpdateSerializer, responses={200: DraftUpdateResultSerializer, **errors(400, 401, 404, 409)})
    def put(self, request, draft_id):
        draft = _draft(request, draft_id)
        data = validated(DraftUpdateSerializer, request.data)
        if "task_id" in data:
            data["task"] = _task_of(request, data.pop("task_id"))
        if "person_id" in data:
            data["person"] = _person_of(request, data.pop("person_id"))
        result = services.draft_update(draft=draft, **data, by=request_attribution(request))
        return Response(DraftUpdateResultSerializer(result).data)

    patch = put


class DraftApproveApi(APIView):
    @extend_schema(summary="Approve a pending draft: answers how the owner sends it (nothing is sent)",
                   description="`send_action` is an instruction for the owner (for an email: to, subject, body, "
                               "a mailto link). Expertly never sends anything.",
                   request=None, responses={200: DraftApproveResultSerializer, **errors(401, 403, 404, 409)})
    def post(self, request, draft_id):
        approval = services.draft_approve(draft=_draft(request, draft_id), by=request_attribution(request))
        return Response(DraftApproveResultSerializer(approval).data)


class DraftRejectApi(APIView):
    @extend_schema(summary="Reject a pending draft with feedback (feedback is required)",
                   description="The feedback is kept on the draft and captured as knowledge about the recipient "
                               "(category person) or, without one, about drafting (category playbook).",
                   request=DraftRejectSerializer, responses={200: DraftRejectResultSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, draft_id):
        draft = _draft(request, draft_id)
        data = validated(DraftRejectSerializer, request.data)
        draft, capture = services.draft_reject(draft=draft, feedback=data["feedback"], by=request_attribution(request))
        return Response(DraftRejectResultSerializer({"draft": draft, "knowledge": capture}).data)


class DraftReviseApi(APIView):
    @extend_schema(summary="Revise a pending or rejected draft: a new pending draft linked by revision_of",
                   description="The original becomes `revised`. The relationship context is taken afresh for the "
                               "same recipient.",
                   request=DraftReviseSerializer, responses={201: DraftReviseResultSerializer, **errors(400, 401, 404, 409)})
    def post(self, request, draft_id):
        draft = _draft(request, draft_id)
        data = validated(DraftReviseSerializer, request.data)
        result = services.draft_revise(draft=draft, **data, by=request_attribution(request))
        original = selectors.draft_get(user=request.user, draft_id=draft.pk)
        return Response(DraftReviseResultSerializer({"new_draft": result.draft, "original": original,
                                                     "warnings": result.warnings}).data,
                        status=status.HTTP_201_CREATED)
