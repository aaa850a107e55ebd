"""A tenant's site: its host (<slug>.localhost) or any request carrying one of its API keys."""

from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.activity.views import health
from apps.core.admin import tenant_admin_site

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", tenant_admin_site.urls),
    path("api/health", health, name="health"),
    # The schema describes the API, not anyone's data: open without a key (SPECTACULAR_SETTINGS).
    path("api/schema/", SpectacularAPIView.as_view(urlconf="expertly.urls"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("expertly.urls_api")),
]

handler403 = "apps.core.exception_handlers.handler403"
handler404 = "apps.core.exception_handlers.handler404"
handler500 = "apps.core.exception_handlers.handler500"
