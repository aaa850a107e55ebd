"""create_tenant and create_api_key, as scripts use them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context
from model_bakery import baker

from apps.accounts.selectors import api_key_resolve
from apps.activity.models import Actor
from apps.tasks.models import Task
from apps.tenants.models import Tenant
from apps.tenants.services import tenant_delete


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def new_tenant(db):
    out = StringIO()
    call_command("create_tenant", "acme-corp", "--name", "Acme Corp", "--owner-email", "Owner@Acme.example",
                 "--json", stdout=out)
    return json.loads(out.getvalue())


def test_create_tenant_json_prints_exactly_one_object(new_tenant):
    assert set(new_tenant) == {"slug", "domain", "owner_email", "api_key"}
    assert new_tenant["slug"] == "acme-corp"
    assert new_tenant["domain"] == "acme-corp.localhost"
    assert new_tenant["owner_email"] == "owner@acme.example"
    api_key = api_key_resolve(raw_key=new_tenant["api_key"])
    assert api_key.user.tenant.slug == "acme-corp"
    assert api_key.user.role == "owner"
    assert "acme_corp" in _schemas()


def test_create_tenant_refuses_bad_and_duplicate_slugs(new_tenant):
    with pytest.raises(CommandError, match="slug: A tenant with slug 'acme-corp' already exists"):
        call_command("create_tenant", "acme-corp", "--name", "Again", "--owner-email", "x@acme.example")
    with pytest.raises(CommandError, match="slug: Use 3-50 lowercase"):
        call_command("create_tenant", "Bad_Slug", "--name", "Bad", "--owner-email", "x@bad.example")
    with pytest.raises(CommandError, match="owner_email"):
        call_command("create_tenant", "fine-slug", "--name", "Fine", "--owner-email", "not-an-email")
    assert "fine_slug" not in _schemas()
    assert not Tenant.objects.filter(slug="fine-slug").exists()


def test_create_api_key_prints_a_working_key(new_tenant):
    out = StringIO()
    call_command("create_api_key", "acme-corp", "owner@acme.example", "--name", "CI", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert api_key_resolve(raw_key=printed["api_key"]).prefix == printed["prefix"]
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_key", "acme-corp", "nobody@acme.example")


def test_tenant_delete_drops_the_schema_and_the_users(new_tenant):
    tenant = Tenant.objects.get(slug="acme-corp")
    with schema_context(tenant.schema_name):
        baker.make_recipe("tasks.task", user=tenant.users.get(), title="goes with the tenant")
    tenant_delete(tenant=tenant)
    assert "acme_corp" not in _schemas()
    assert api_key_resolve(raw_key=new_tenant["api_key"]) is None


def test_deleting_a_user_cascades_to_their_rows_in_the_tenant_schema(tenant_a):
    from apps.accounts.services import user_create

    member = user_create(tenant=tenant_a.tenant, email="leaving@tenant-a.example", actor=Actor.SYSTEM)
    tenant_a.make("tasks.task", user=member, title="member's task")
    tenant_a.make("tasks.task", title="owner's task")
    member.delete()  # from the public schema, where Django cannot see tenant tables: PostgreSQL cascades
    with tenant_a.schema():
        assert list(Task.objects.values_list("title", flat=True)) == ["owner's task"]

