"""Users and API keys through their services: a key is shown once, only its hash stored, never written
anywhere raw. They live in the public schema, but each state change (a user created, a key created or
revoked) writes its Log in the tenant's schema, naming who acted, and publishes its event to the
tenant on commit; revoking a revoked key writes and publishes nothing."""

from django.db import connection

from apps.accounts.keys import api_key_hash
from apps.accounts.models import ApiKey
from apps.accounts.selectors import api_key_resolve
from apps.accounts.services import api_key_create, api_key_revoke, user_create
from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log


def test_created_key_resolves_and_only_its_hash_is_stored(tenant_a):
    api_key, raw = api_key_create(by=Attribution.system(tenant_a.owner), name="Claude on laptop")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.key_hash == api_key_hash(raw) != raw
    assert api_key_resolve(raw_key=raw) == api_key
    assert api_key_resolve(raw_key=raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None


def _rows_containing(text: str, schemas: list[str]) -> list[str]:
    """Every table in these schemas whose rows, as text, contain `text`."""
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE'",
            [schemas],
        )
        for schema, table in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}" t WHERE t::text LIKE %s', [f"%{text}%"])
            if cursor.fetchone()[0]:
                hits.append(f"{schema}.{table}")
    return hits


def test_raw_key_never_appears_in_the_database(tenant_a, client):
    api_key, raw = api_key_create(by=Attribution.system(tenant_a.owner), name="audit me")
    client.get("/api/health", HTTP_X_API_KEY=raw)
    api_key_revoke(api_key=api_key, by=Attribution.owner(api_key.user))
    secret = raw.split("_", 2)[2]
    assert _rows_containing(secret, ["public", tenant_a.tenant.schema_name]) == []
    # …while the searching itself works: the prefix is stored on purpose
    assert "public.accounts_apikey" in _rows_containing(api_key.prefix, ["public"])


def test_key_creation_and_revocation_are_audited_in_the_tenant(tenant_a, capture_events):
    with capture_events() as sent:
        api_key, _ = api_key_create(by=Attribution.system(tenant_a.owner), name="audit me")
        api_key_revoke(api_key=api_key, by=Attribution.owner(api_key.user))
    with capture_events() as sent_again:
        api_key_revoke(api_key=api_key, by=Attribution.owner(api_key.user))  # idempotent: no second log row
    with tenant_a.schema():
        logs = {log.action: log for log in Log.objects.filter(entity_id=api_key.pk)}
    assert sorted(logs) == ["api_key.created", "api_key.revoked"]
    assert (logs["api_key.created"].actor, logs["api_key.created"].user_id) == (Actor.SYSTEM, tenant_a.owner.pk)
    assert (logs["api_key.revoked"].actor, logs["api_key.revoked"].user_id) == (Actor.USER, tenant_a.owner.pk)
    assert logs["api_key.created"].details == {"prefix": api_key.prefix, "name": "audit me", "role": "agent"}
    assert [(e.type, e.schema_name, e.payload["actor"]) for e in sent] == [
        ("api_key.created", tenant_a.tenant.schema_name, Actor.SYSTEM),
        ("api_key.revoked", tenant_a.tenant.schema_name, Actor.USER)]
    assert sent_again == []


def test_user_creation_is_audited_in_the_tenant_as_the_new_user_made_by_the_actor(tenant_a, capture_events):
    with capture_events() as sent:
        user = user_create(tenant=tenant_a.tenant, email="maria@tenant-a.example", actor=Actor.USER)
    with tenant_a.schema():
        log = Log.objects.get(action="user.created", entity_id=user.pk)
    assert (log.actor, log.user_id, log.details) == (Actor.USER, user.pk,
                                                     {"email": "maria@tenant-a.example", "role": "member"})
    assert [(e.type, e.schema_name, e.payload["entity_id"]) for e in sent] == [
        ("user.created", tenant_a.tenant.schema_name, str(user.pk))]
