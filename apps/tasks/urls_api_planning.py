from django.urls import path

from . import api_planning as api

urlpatterns = [
    path("recurring", api.RecurringListCreateApi.as_view(), name="recurring-list"),
    path("recurring/due", api.RecurringDueApi.as_view(), name="recurring-due"),
    path("recurring/<uuid:recurring_id>", api.RecurringDetailApi.as_view(), name="recurring"),
    path("recurring/<uuid:recurring_id>/run", api.RecurringRunApi.as_view(), name="recurring-run"),
    path("waiting", api.WaitingListCreateApi.as_view(), name="waiting-list"),
    path("waiting/overdue", api.WaitingOverdueApi.as_view(), name="waiting-overdue"),
    path("waiting/<uuid:waiting_id>", api.WaitingDetailApi.as_view(), name="waiting"),
    path("waiting/<uuid:waiting_id>/resolve", api.WaitingResolveApi.as_view(), name="waiting-resolve"),
]
