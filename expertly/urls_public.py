"""The public host (localhost in development): ops admin and the health check. API calls need a
key, which selects the tenant; without one they are refused here."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from apps.activity.views import health
from apps.tenants.sites import ops_admin_site
from apps.tenants.views import api_key_required

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", ops_admin_site.urls),
    path("api/health", health, name="health"),
    re_path(r"^api/", api_key_required),
]

handler404 = "expertly.errors.handler404"
handler500 = "expertly.errors.handler500"
