"""The API's routes, found by walking the tenant URL conf: the tests that must cover every endpoint
(OpenAPI coverage, tenant isolation) take their list from here, so a new endpoint is covered the
moment it is routed."""

from django.urls import URLPattern, URLResolver, get_resolver


def api_routes() -> list[tuple[str, object]]:
    """(route, callback) for every route under api/ in the tenant URL conf, e.g.
    ('api/tasks/<uuid:task_id>/start', <function>)."""
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("api/"):
                    routes.append((route, pattern.callback))

    walk(get_resolver("expertly.urls").url_patterns, "")
    return routes
