"""Which tenant a request belongs to, decided before anything touches tenant data.

In order: the API key (X-API-Key or Authorization: Bearer) names its tenant; otherwise the host
does (<slug>.localhost in development, the tenant's Domain rows in production). The hosts in
PUBLIC_HOSTS serve the public site: ops admin and the health check.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import Http404, HttpResponseBadRequest
from django.urls import set_urlconf
from django.utils import timezone

from apps.accounts.keys import api_key_from_headers
from apps.accounts.selectors import api_key_resolve
from apps.accounts.services import api_key_touch
from apps.core.error_codes import ErrorCode
from apps.core.exception_handlers import json_error

from .models import Domain


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class TenantResolutionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        connection.set_schema_to_public()
        request.tenant = None
        request.api_key = None

        raw_key = api_key_from_headers(request.META)
        if raw_key is not None:
            api_key = api_key_resolve(raw_key=raw_key)
            if api_key is None:
                return json_error(
                    401,
                    ErrorCode.INVALID_API_KEY,
                    "This API key is unknown or has been revoked. Ask the workspace owner for a new key.",
                    headers={"WWW-Authenticate": 'Bearer realm="expertly"'},
                )
            api_key_touch(api_key=api_key, now=timezone.now())
            request.api_key = api_key
            self._activate(request, api_key.user.tenant)
            return self.get_response(request)

        try:
            hostname = request.get_host().split(":")[0].lower()
        except DisallowedHost:
            return HttpResponseBadRequest("Unknown host.")
        if hostname in settings.PUBLIC_HOSTS:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return self.get_response(request)

        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            if _is_api(request):
                return json_error(404, ErrorCode.UNKNOWN_HOST, f"No workspace is served at '{hostname}'.")
            raise Http404(f"No workspace is served at '{hostname}'.")
        self._activate(request, domain.tenant)
        return self.get_response(request)

    @staticmethod
    def _activate(request, tenant) -> None:
        request.tenant = tenant
        connection.set_tenant(tenant)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
