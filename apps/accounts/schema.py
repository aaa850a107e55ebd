"""How the API schema describes our authentication (drf-spectacular extensions)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.accounts.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "The workspace's API key (also accepted as `Authorization: Bearer <key>`). "
                               "It selects the workspace."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "apps.accounts.authentication.TenantSessionAuthentication"
    name = "Session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The owner's browser session on the workspace's host."}
