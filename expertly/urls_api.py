"""The API Claude works against: /api/…, authenticated by X-API-Key (which also selects the tenant)."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.workloop.urls_api")),  # next, claim, start, complete, block; pause, stop
    path("", include("apps.tasks.api.urls")),
    path("", include("apps.questions.urls_api")),
    path("", include("apps.people.urls_api")),
    path("", include("apps.playbooks.urls_api")),
    path("", include("apps.knowledge.urls_api")),
    path("", include("apps.drafts.urls_api")),
    path("", include("apps.sales.urls_api")),
    path("", include("apps.dashboard.urls_api")),
    path("", include("apps.context.urls_api")),  # task, project, person and client context; search
    path("", include("apps.activity.urls_api")),
]
