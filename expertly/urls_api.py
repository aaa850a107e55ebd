"""The API Claude works against: /api/…, authenticated by X-API-Key (which also selects the tenant)."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.tasks.urls_api")),
    path("", include("apps.questions.urls_api")),
]
