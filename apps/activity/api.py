"""The activity log (seed: GET /api/logs). Thin: the selector filters, the view paginates and serializes."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

from apps.core.api_docs import errors

from . import selectors
from .filters import LogFilter
from .models import Log
from .serializers import LogSerializer


class LogListApi(GenericAPIView):
    serializer_class = LogSerializer
    filterset_class = LogFilter  # for the schema; selectors.log_list runs it
    queryset = Log.objects.none()

    @extend_schema(summary="The activity log, newest first",
                   description="Filter by entity (entity_type, entity_id), actor, action (exact, or a prefix such as "
                               "`task.`) and time (start_date, end_date: ISO dates in your time zone, or date-times).",
                   responses={200: LogSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        logs = self.paginate_queryset(selectors.log_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(LogSerializer(logs, many=True).data)
