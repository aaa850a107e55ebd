"""Who may use which admin: ops staff on the public host, a tenant's owners and admins on its host."""

import re

import pytest
from django.db import connection
from django.test import Client

from apps.accounts.models import ApiKey, User
from apps.accounts.selectors import api_key_resolve
from apps.accounts.services import user_create
from apps.activity.models import Actor, Log
from apps.tenants.models import Tenant

PASSWORD = "correct horse battery staple"


def _login(host: str, email: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_HOST=host)
    response = client.post("/admin/login/", {"username": email, "password": password, "next": "/admin/"})
    client.login_status = response.status_code
    return client


def test_owner_logs_into_own_workspace_admin_and_sees_only_its_data(tenant_a, tenant_b):
    tenant_a.make("tasks.task", title="A's secret task")
    tenant_b.make("tasks.task", title="B's secret task")
    client = _login(tenant_a.host, tenant_a.owner.email)
    assert client.login_status == 302
    page = client.get("/admin/tasks/task/").content.decode()
    assert "A&#x27;s secret task" in page or "A's secret task" in page
    assert "B&#x27;s secret task" not in page and "B's secret task" not in page


def test_session_of_tenant_a_is_dropped_on_tenant_b_host(tenant_a, tenant_b):
    client = _login(tenant_a.host, tenant_a.owner.email)
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/", HTTP_HOST=tenant_b.host)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_owner_cannot_log_in_on_another_tenant_host(tenant_a, tenant_b):
    assert _login(tenant_b.host, tenant_a.owner.email).login_status == 200  # form shown again with an error


def test_members_are_kept_out_of_the_workspace_admin(tenant_a):
    user_create(tenant=tenant_a.tenant, email="member@tenant-a.example", password=PASSWORD, actor=Actor.SYSTEM)
    client = _login(tenant_a.host, "member@tenant-a.example")
    assert client.login_status == 200
    assert client.get("/admin/").status_code == 302


def test_tenant_admin_writes_are_audited_and_owned(tenant_a):
    client = _login(tenant_a.host, tenant_a.owner.email)
    response = client.post("/admin/people/client/add/", {
        "name": "Liberty Hotel", "status": "active", "notes": "", "metadata": "{}",
        "people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    connection.set_tenant(tenant_a.tenant)
    from apps.people.models import Client as ClientModel

    created = ClientModel.objects.get(name="Liberty Hotel")
    assert created.user_id == tenant_a.owner.id
    log = Log.objects.get(action="client.created", entity_id=created.id)
    assert log.actor == "user" and log.user_id == tenant_a.owner.id  # written by client_create, as via the API


@pytest.fixture
def ops_client(db):
    User.objects.create_superuser("ops@expertly.example", PASSWORD)
    return _login("localhost", "ops@expertly.example")


def test_ops_admin_is_refused_to_tenant_users(tenant_a):
    client = _login("localhost", tenant_a.owner.email)
    assert client.login_status == 200
    assert client.get("/admin/").status_code == 302


def test_ops_creates_an_api_key_shown_once_and_revokes_it(ops_client, tenant_a):
    assert ops_client.login_status == 302
    response = ops_client.post("/admin/accounts/apikey/add/",
                               {"user": tenant_a.owner.pk, "name": "from admin", "role": "owner"}, follow=True)
    page = response.content.decode()
    raw = re.search(r"(etk_[a-z0-9]{8}_[A-Za-z0-9_-]{43})", page).group(1)
    api_key = api_key_resolve(raw_key=raw)
    assert (api_key.name, api_key.role) == ("from admin", "owner")
    assert raw not in ops_client.get(f"/admin/accounts/apikey/{api_key.pk}/change/").content.decode()
    ops_client.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [str(api_key.pk)]})
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    assert api_key_resolve(raw_key=raw) is None


def test_ops_creates_a_tenant_from_the_admin(ops_client):
    response = ops_client.post("/admin/tenants/tenant/add/", {
        "name": "Globex", "slug": "globex", "tier": "standard", "owner_email": "hank@globex.example",
    }, follow=True)
    assert response.status_code == 200
    tenant = Tenant.objects.get(slug="globex")
    assert tenant.get_primary_domain().domain == "globex.localhost"
    raw = re.search(r"(etk_[a-z0-9]{8}_[A-Za-z0-9_-]{43})", response.content.decode()).group(1)
    assert api_key_resolve(raw_key=raw).user.email == "hank@globex.example"


def test_every_ops_and_tenant_admin_page_renders(ops_client, tenant_a):
    for url in ["/admin/", "/admin/tenants/tenant/", "/admin/tenants/domain/", "/admin/accounts/user/",
                "/admin/accounts/apikey/", "/admin/accounts/apikey/add/", "/admin/tenants/tenant/add/",
                f"/admin/tenants/tenant/{tenant_a.tenant.pk}/change/", f"/admin/accounts/user/{tenant_a.owner.pk}/change/"]:
        assert ops_client.get(url).status_code == 200, url
    client = _login(tenant_a.host, tenant_a.owner.email)
    from apps.core.admin import tenant_admin_site

    for model in tenant_admin_site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        assert client.get(base + "?q=liberty").status_code == 200, base
