"""Test fixtures. Real PostgreSQL and Redis from DATABASE_URL / REDIS_URL (the Makefile provides
them). Two tenants are created once per session (schema creation is slow); every test runs in a
transaction that rolls back, and starts on the public schema.

Test data is made one way: the apps' model-bakery recipes (`apps/<app>/baker_recipes.py`), through
`world.make("tasks.task", title=...)` for a row in a workspace, and the shared fixtures of
`tests/fixtures/` (the owner's time zone, the seed's people; the admin pages' helpers)."""

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from model_bakery import baker
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.activity import events
from apps.activity.attribution import Attribution
from apps.tenants.models import Tenant

pytest_plugins = ["tests.fixtures.events", "tests.fixtures.owner", "tests.fixtures.people"]

OWNER_PASSWORD = "correct horse battery staple"  # of every session tenant's owner


@dataclass
class TenantWorld:
    tenant: Tenant
    owner: User
    raw_key: str  # an agent key: Claude's
    host: str  # the tenant's domain, e.g. tenant-a.localhost
    owner_key: str  # an owner key: the owner's own scripts, which may make his decisions

    def api(self) -> APIClient:
        """A client that authenticates with this tenant's agent key (Claude)."""
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=self.raw_key)
        return client

    def owner_api(self) -> APIClient:
        """A client that authenticates with this tenant's owner key (the owner deciding)."""
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=self.owner_key)
        return client

    def schema(self):
        """`with world.schema():` — run ORM code inside this tenant's schema."""
        return schema_context(self.tenant.schema_name)

    def make(self, recipe: str, _quantity: int | None = None, **fields):
        """`world.make("tasks.task", title="Pilot review")`: a row (or `_quantity` rows) from an app's
        model-bakery recipe, written in this workspace's schema and owned by its owner unless `user=`
        says otherwise. A row of a model without an owner (`tasks.task_person`,
        `questions.unblock`) takes only the fields given."""
        model = baker._recipe(recipe)._model  # the recipes name their model class
        if any(field.name == "user" for field in model._meta.get_fields()):
            fields.setdefault("user", self.owner)
        with self.schema():
            return baker.make_recipe(recipe, _quantity=_quantity, **fields)

    @property
    def by_claude(self) -> Attribution:
        """Claude acting in this workspace (what an API key's request is)."""
        return Attribution.claude(self.owner)

    @property
    def by_owner(self) -> Attribution:
        """The owner acting himself (a browser session, the workspace admin)."""
        return Attribution.owner(self.owner)


def _make_world(slug: str, name: str) -> TenantWorld:
    from apps.tenants.services import tenant_create

    existing = Tenant.objects.filter(slug=slug).first()
    if existing is not None:  # left behind by an interrupted run of a kept database
        from apps.tenants.services import tenant_delete

        tenant_delete(tenant=existing)
    created = tenant_create(slug=slug, name=name, owner_email=f"owner@{slug}.example", owner_name=f"Owner {name}",
                            owner_password=OWNER_PASSWORD)
    from apps.accounts.services import api_key_create

    _, owner_key = api_key_create(by=Attribution.system(created.owner), name="owner's scripts", role="owner")
    return TenantWorld(tenant=created.tenant, owner=created.owner, raw_key=created.raw_api_key,
                       host=created.domain.domain, owner_key=owner_key)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, whatever was selected.

    pytest-django creates test databases only for tests marked django_db. The tests whose threads
    commit through their own connections (claims, recurring races) are not marked (a test
    transaction would hide their rows from the threads), so a run of only those (`-k race`) would
    reach the real database: create the test database here too in that case. Any psycopg pool
    opened on the real database is closed, so every connection from here on goes to the test one.
    """
    from django.test.utils import setup_databases, teardown_databases

    created = None
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith("test_"):
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        if connection._connection_pools.get(connection.alias) is not None:
            connection.close()
            connection.close_pool()
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="session")
def _worlds(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        worlds = {"a": _make_world("tenant-a", "Tenant A"), "b": _make_world("tenant-b", "Tenant B")}
    yield worlds


@pytest.fixture
def tenant_a(_worlds, db) -> TenantWorld:
    return _worlds["a"]


@pytest.fixture
def tenant_b(_worlds, db) -> TenantWorld:
    return _worlds["b"]


@pytest.fixture
def api(tenant_a):
    """Tenant A's agent key: Claude working the loop through the API."""
    return tenant_a.api()


@pytest.fixture
def owner_api(tenant_a):
    """Tenant A's owner key: the owner's decisions (approve, reject, answer, review) through the API."""
    return tenant_a.owner_api()


@pytest.fixture
def admin_client(tenant_a):
    """The owner of tenant A logged into the workspace admin on the tenant's host (replaces
    pytest-django's superuser `admin_client`: tenant admins are the workspace's own users)."""
    from django.test import Client

    client = Client(HTTP_HOST=tenant_a.host)
    response = client.post("/admin/login/", {"username": tenant_a.owner.email, "password": OWNER_PASSWORD,
                                             "next": "/admin/"})
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@dataclass(frozen=True)
class SentEvent:
    schema_name: str
    user_id: object  # the user whose pages receive it (None: the workspace's owners)
    type: str
    payload: dict


@pytest.fixture
def capture_events(django_capture_on_commit_callbacks, monkeypatch):
    """`with capture_events() as sent:` — run the block, commit it (its on_commit callbacks run), and
    collect every live event it published, in order, with the user it is for (Zulip's
    capture_send_event_calls). The events still go to the real Redis; this only records what was handed to it. A rolled-back block
    publishes nothing."""

    @contextmanager
    def capture():
        sent: list[SentEvent] = []
        real_send = events.event_send

        def recording_send(*, schema_name, user_id, event_type, payload):
            sent.append(SentEvent(schema_name, user_id, event_type, payload))
            return real_send(schema_name=schema_name, user_id=user_id, event_type=event_type, payload=payload)

        with monkeypatch.context() as patch:
            patch.setattr(events, "event_send", recording_send)
            with django_capture_on_commit_callbacks(execute=True):
                yield sent

    return capture
