"""Which tenant a request reaches: by API key first, else by host; refusals are 401 JSON."""

import json
import secrets

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from apps.accounts.models import ApiKey
from apps.accounts.services import api_key_create, api_key_revoke
from apps.activity.attribution import Attribution
from apps.tasks.models import Task
from apps.tenants.middleware import TenantResolutionMiddleware


def _titles_view(request):
    """Stands in for any tenant endpoint: what this request can read."""
    return JsonResponse({"schema": connection.schema_name, "titles": sorted(Task.objects.values_list("title", flat=True))})


def _resolve(**headers):
    request = RequestFactory().get("/api/tasks", **headers)
    return request, TenantResolutionMiddleware(_titles_view)(request)


def _json(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def tasks_in_both(tenant_a, tenant_b):
    tenant_a.make("tasks.task", title="A's task")
    tenant_b.make("tasks.task", title="B's task")


def test_api_key_resolves_its_own_tenant_schema(tenant_a, tenant_b, tasks_in_both):
    for world, title in [(tenant_a, "A's task"), (tenant_b, "B's task"), (tenant_a, "A's task")]:
        request, response = _resolve(HTTP_X_API_KEY=world.raw_key)
        assert request.tenant == world.tenant
        assert response.status_code == 200
        assert _json(response) == {"schema": world.tenant.schema_name, "titles": [title]}


def test_key_of_tenant_a_on_tenant_b_host_still_reads_only_a(tenant_a, tenant_b, tasks_in_both):
    request, response = _resolve(HTTP_X_API_KEY=tenant_a.raw_key, HTTP_HOST=tenant_b.host)
    assert request.tenant == tenant_a.tenant
    assert _json(response)["titles"] == ["A's task"]


def test_authorization_bearer_is_accepted(tenant_b, tasks_in_both):
    request, response = _resolve(HTTP_AUTHORIZATION=f"Bearer {tenant_b.raw_key}")
    assert request.tenant == tenant_b.tenant
    assert _json(response)["titles"] == ["B's task"]


def test_limited_search_path_calls_stay_correct_when_tenants_alternate(tenant_a, tenant_b, tasks_in_both, settings):
    assert settings.TENANT_LIMIT_SET_CALLS is True
    seen = [_json(_resolve(HTTP_X_API_KEY=w.raw_key)[1])["titles"] for w in [tenant_a, tenant_b] * 5]
    assert seen == [["A's task"], ["B's task"]] * 5


@pytest.mark.parametrize(
    "bad_key",
    [
        "not-a-key",
        "etk_aaaaaaaa_" + "x" * 43,  # well-formed, unknown
        "",
    ],
)
def test_unknown_or_malformed_key_is_refused_with_401_json(tenant_a, bad_key):
    client = APIClient()
    response = client.get("/api/health", HTTP_X_API_KEY=bad_key or " ")
    if bad_key == "":
        assert response.status_code == 200  # a blank header is no key: the public health check answers
        return
    assert response.status_code == 401
    assert _json(response)["error"]["code"] == "invalid_api_key"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_right_prefix_with_wrong_secret_is_refused(tenant_a):
    forged = tenant_a.raw_key[:13] + secrets.token_urlsafe(32)
    _, response = _resolve(HTTP_X_API_KEY=forged)
    assert response.status_code == 401


def test_revoked_key_is_refused_from_the_next_request(tenant_a):
    api_key, raw = api_key_create(by=Attribution.system(tenant_a.owner), name="temporary")
    assert _resolve(HTTP_X_API_KEY=raw)[1].status_code == 200
    api_key_revoke(api_key=api_key, by=Attribution.owner(api_key.user))
    response = _resolve(HTTP_X_API_KEY=raw)[1]
    assert response.status_code == 401
    assert "revoked" in _json(response)["error"]["message"]


def test_key_of_inactive_user_is_refused(tenant_a):
    api_key, raw = api_key_create(by=Attribution.system(tenant_a.owner), name="temporary")
    type(tenant_a.owner).objects.filter(pk=tenant_a.owner.pk).update(is_active=False)
    assert _resolve(HTTP_X_API_KEY=raw)[1].status_code == 401


def test_api_path_without_key_on_public_host_is_401_json(db):
    response = APIClient().get("/api/tasks", HTTP_HOST="localhost")
    assert response.status_code == 401
    assert _json(response)["error"]["code"] == "not_authenticated"
    assert "X-API-Key" in _json(response)["error"]["message"]


def test_host_selects_the_tenant_without_a_key(tenant_a):
    request = RequestFactory().get("/admin/", HTTP_HOST=tenant_a.host)
    TenantResolutionMiddleware(_titles_view)(request)
    assert request.tenant == tenant_a.tenant


def test_unknown_host_is_404_json_on_api_paths(db):
    response = APIClient().get("/api/health", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404
    assert _json(response)["error"]["code"] == "unknown_host"


def test_key_use_is_noted_at_most_once_a_minute(tenant_a):
    api_key, raw = api_key_create(by=Attribution.system(tenant_a.owner), name="temporary")
    _resolve(HTTP_X_API_KEY=raw)
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    _resolve(HTTP_X_API_KEY=raw)
    assert first is not None
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first


def test_cache_keys_are_per_tenant(tenant_a, tenant_b):
    with tenant_a.schema():
        cache.set("greeting", "hello from A", 30)
        assert cache.get("greeting") == "hello from A"
    with tenant_b.schema():
        assert cache.get("greeting") is None
        cache.set("greeting", "hello from B", 30)
    with tenant_a.schema():
        assert cache.get("greeting") == "hello from A"
        cache.delete("greeting")
    with tenant_b.schema():
        cache.delete("greeting")
