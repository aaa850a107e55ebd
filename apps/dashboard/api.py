"""The owner's dashboard (seed: "Dashboard"). Thin: call one selector, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api_docs import errors

from . import selectors
from .serializers import DashboardSerializer, DashboardStatsSerializer


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
