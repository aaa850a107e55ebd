"""API keys through their services: shown once, only a hash stored, never written anywhere raw; creating
and revoking one is audited in the tenant."""

from django.db import connection

from apps.accounts.keys import api_key_hash
from apps.accounts.models import ApiKey
from apps.accounts.selectors import api_key_resolve
from apps.accounts.services import api_key_create, api_key_revoke
from apps.activity.attribution import Attribution
from apps.activity.models import Log


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


def test_key_creation_and_revocation_are_audited_in_the_tenant(tenant_a):
    api_key, _ = api_key_create(by=Attribution.system(tenant_a.owner), name="audit me")
    api_key_revoke(api_key=api_key, by=Attribution.owner(api_key.user))
    api_key_revoke(api_key=api_key, by=Attribution.owner(api_key.user))  # idempotent: no second log row
    with tenant_a.schema():
        actions = list(Log.objects.filter(entity_id=api_key.pk).values_list("action", flat=True))
    assert sorted(actions) == ["api_key.created", "api_key.revoked"]
