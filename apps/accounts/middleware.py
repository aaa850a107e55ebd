"""A session belongs to one tenant: a logged-in user seen on another tenant's host is logged out."""

from django.contrib.auth import logout


class TenantUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.api_key is None:
            tenant = request.tenant
            if user.tenant_id != (tenant.id if tenant is not None else None):
                logout(request)
        return self.get_response(request)
