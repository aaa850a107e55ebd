from django.urls import path

from . import api

urlpatterns = [
    path("dashboard", api.DashboardApi.as_view(), name="dashboard"),
    path("dashboard/stats", api.DashboardStatsApi.as_view(), name="dashboard-stats"),
]
