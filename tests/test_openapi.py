"""The OpenAPI schema and the Swagger UI docs.

The schema is generated without warnings, covers every API route in the URL conf (found by walking
it, so new endpoints are checked automatically), documents a success and the error envelope for
every operation, and the docs page works offline: every asset is vendored under /static/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.test import APIClient
from rest_framework.views import APIView

from tests.routes import api_routes

SWAGGER_DIST = "vendor/swagger-ui-dist"
# Plain Django views under /api/ that are deliberately not part of the DRF API (and so not in the
# schema). A new one must be added here on purpose, or be a DRF view.
NOT_DRF = {"api/health"}
ERROR_REF = "#/components/schemas/Error"


def _schema_path(route: str) -> str:
    """'api/tasks/<uuid:task_id>/start' → '/api/tasks/{task_id}/start' (as drf-spectacular writes it)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator(urlconf="expertly.urls").get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "patch", "post", "delete"):
                yield path, method, operation


def test_schema_generates_and_validates_with_no_warnings(tmp_path, capsys):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))  # raises on any warning
    assert "Warning" not in capsys.readouterr().err
    assert "/api/tasks/next" in out.read_text()


def test_every_api_route_in_the_url_conf_is_in_the_schema(schema):
    missing, not_drf = [], []
    for route, callback in api_routes():
        view = getattr(callback, "cls", None)
        if view is None or not issubclass(view, APIView):
            if route not in NOT_DRF:
                not_drf.append(route)
            continue
        if issubclass(view, SpectacularAPIView | SpectacularSwaggerView):
            continue  # the schema and the docs themselves
        if _schema_path(route) not in schema["paths"]:
            missing.append(route)
    assert not missing, f"API routes missing from the OpenAPI schema: {missing}"
    assert not not_drf, f"Plain Django views under /api/ (not in the schema): {not_drf}"


def test_every_operation_documents_success_and_its_errors_with_the_error_envelope(schema):
    problems = []
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        codes = set(operation["responses"])
        if not any(code.startswith("2") for code in codes):
            problems.append(f"{where}: no 2xx response")
        if {} not in operation.get("security", [{}]) and "401" not in codes:
            problems.append(f"{where}: needs a key but does not document 401")
        if "{" in path and "404" not in codes:
            problems.append(f"{where}: takes an id but does not document 404")
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                if ref != ERROR_REF:
                    problems.append(f"{where}: {code} does not use the Error component")
    assert not problems, "\n".join(problems)


def test_schema_is_open_on_every_host_with_or_without_a_key(tenant_a):
    anonymous = APIClient()
    for response in (
        anonymous.get("/api/schema/"),  # public host (localhost)
        anonymous.get("/api/schema/", HTTP_HOST=tenant_a.host),
        tenant_a.api().get("/api/schema/"),
    ):
        assert response.status_code == 200, response.content[:300]
        assert b"/api/playbooks/match:" in response.content  # the tenant API, also on the public host
    as_json = anonymous.get("/api/schema/", {"format": "json"}).json()
    assert as_json["components"]["securitySchemes"]["ApiKey"]["name"] == "X-API-Key"
    # the public host still refuses the API itself without a key
    assert anonymous.get("/api/tasks").status_code == 401


@pytest.mark.parametrize("how", ["public host", "tenant host", "api key"])
def test_docs_page_loads_only_vendored_local_assets(tenant_a, how):
    client = tenant_a.api() if how == "api key" else APIClient()
    extra = {"HTTP_HOST": tenant_a.host} if how == "tenant host" else {}
    response = client.get("/api/docs/", **extra)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"\bhttps?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I) == []  # no other host at all
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert {Path(a).name for a in assets} == {"favicon-32x32.png", "swagger-ui.css", "swagger-ui-bundle.js",
                                              "swagger-ui-standalone-preset.js"}
    for asset in assets:
        assert asset.startswith(f"{settings.STATIC_URL}{SWAGGER_DIST}/"), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), f"{asset} is not vendored"
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
    assert 'url: "/api/schema/"' in html


def test_vendored_swagger_ui_is_served_and_its_version_recorded():
    response = APIClient().get(f"{settings.STATIC_URL}{SWAGGER_DIST}/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    readme = Path(finders.find("vendor/README.md")).read_text()
    version = re.search(r"## swagger-ui-dist (\d+\.\d+\.\d+)", readme).group(1)
    bundle = Path(finders.find(f"{SWAGGER_DIST}/swagger-ui-bundle.js")).read_text()
    assert f'PACKAGE_VERSION:"{version}"' in bundle
    for name in ("LICENSE", "NOTICE"):
        assert finders.find(f"{SWAGGER_DIST}/{name}"), name
