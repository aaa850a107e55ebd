"""The activity log (seed: GET /api/logs). Thin: filter the selector's rows, paginate, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

from apps.core.api_docs import errors

from . import selectors
from .filters import LogFilter
from .serializers import LogSerializer


class LogListApi(GenericAPIView):
    serializer_class = LogSerializer
    filterset_class = LogFilter

    def get_queryset(self):
        return selectors.log_queryset(user=self.request.user)

    @extend_schema(summary="The activity log, newest first",
                   description="Filter by entity (entity_type, entity_id), actor, action (exact, or a prefix such as "
                               "`task.`) and time (start_date, end_date: ISO dates in your time zone, or date-times).",
                   responses={200: LogSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        logs = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(LogSerializer(logs, many=True).data)
