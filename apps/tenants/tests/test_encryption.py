"""A dedicated tenant's connection string is encrypted at rest."""

from cryptography.fernet import Fernet
from django.db import connection

from apps.tenants.models import Tenant

SECRET_DSN = "postgres://acme:s3cret-pw@db.internal:5432/acme"


def test_connection_config_is_stored_encrypted_and_read_back_in_clear(tenant_a):
    Tenant.objects.filter(pk=tenant_a.tenant.pk).update(database_mode="dedicated", connection_config=SECRET_DSN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT connection_config FROM public.tenants_tenant WHERE id = %s", [tenant_a.tenant.pk])
        stored = cursor.fetchone()[0]
    assert "s3cret" not in stored and "db.internal" not in stored
    assert Tenant.objects.get(pk=tenant_a.tenant.pk).connection_config == SECRET_DSN


def test_rotated_keys_still_decrypt_old_values(tenant_a, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    Tenant.objects.filter(pk=tenant_a.tenant.pk).update(database_mode="dedicated", connection_config=SECRET_DSN)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Tenant.objects.get(pk=tenant_a.tenant.pk).connection_config == SECRET_DSN
