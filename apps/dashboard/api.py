"""The owner's dashboard and the context search (seed: "Dashboard", "Context Retrieval"). Thin:
validate, call one selector, serialize."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api_docs import errors

from . import search, selectors
from .serializers import (
    ContextSearchParamsSerializer,
    ContextSearchSerializer,
    DashboardSerializer,
    DashboardStatsSerializer,
)


class DashboardApi(APIView):
    @extend_schema(
        summary="The dashboard: priorities, questions, Claude's current task, drafts, waiting items, this week, overdue",
        description=f"Each list holds its first rows; `counts` has the totals, exact up to {selectors.COUNT_LIMIT}: a "
                    f"count past that is reported as {selectors.COUNT_LIMIT} and named in `counts.over_limit` (show "
                    f"it as {selectors.COUNT_LIMIT}+). `today_priorities`: open tasks by priority, due date, age. "
                    "`questions_for_you`: in the order of /api/questions/unanswered. "
                    "`claude_working_on`: the task Claude is working on, or null. `this_week`: open tasks due and "
                    "waiting items to follow up from Monday to Sunday, `overdue_items`: those past their date; each "
                    "item has its `kind` (task or waiting), title, date and id. Days and weeks are in the owner's "
                    "time zone.",
        responses={200: DashboardSerializer, **errors(401)},
    )
    def get(self, request):
        return Response(DashboardSerializer(selectors.dashboard_get(user=request.user)).data)


class DashboardStatsApi(APIView):
    @extend_schema(summary="Dashboard metrics: work done today and this week, question response time",
                   responses={200: DashboardStatsSerializer, **errors(401)})
    def get(self, request):
        return Response(DashboardStatsSerializer(selectors.dashboard_stats(user=request.user)).data)


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
