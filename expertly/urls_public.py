"""The public host (localhost in development): ops admin, the health check and the API's schema and
docs (so a newcomer can open http://localhost:8000/api/docs/). Other API calls need a key, which
selects the tenant; without one they are refused here."""

from django.urls import path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.activity.views import health
from apps.core.admin import ops_admin_site
from apps.tenants.views import api_key_required

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", ops_admin_site.urls),
    path("api/health", health, name="health"),
    # The tenant API's schema (expertly.urls), not this URL conf's.
    path("api/schema/", SpectacularAPIView.as_view(urlconf="expertly.urls"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    re_path(r"^api/", api_key_required),
]

handler404 = "apps.core.exception_handlers.handler404"
handler500 = "apps.core.exception_handlers.handler500"
