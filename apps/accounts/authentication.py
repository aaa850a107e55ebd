"""DRF authentication: the API key the tenant middleware already resolved, or the browser session."""

from rest_framework.authentication import BaseAuthentication, SessionAuthentication


class ApiKeyAuthentication(BaseAuthentication):
    """Claude's credential. The key was checked (and the tenant chosen) by TenantResolutionMiddleware;
    an unknown or revoked key never gets this far (401 there)."""

    def authenticate(self, request):
        api_key = getattr(request._request, "api_key", None)
        if api_key is None:
            return None
        return api_key.user, api_key

    def authenticate_header(self, request):
        return 'Bearer realm="expertly"'


class TenantSessionAuthentication(SessionAuthentication):
    """The owner's browser session on the tenant host (TenantUserMiddleware keeps it to one tenant)."""
