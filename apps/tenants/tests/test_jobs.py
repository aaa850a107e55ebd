"""Per-tenant jobs: the fan-out names every tenant schema; a job body runs only inside one."""

import logging

from django.db import connection

from apps.tenants.jobs import per_tenant, tenant_schema_names


def test_the_fan_out_names_every_tenant_schema_and_not_public(tenant_a, tenant_b):
    names = tenant_schema_names()
    assert {tenant_a.tenant.schema_name, tenant_b.tenant.schema_name} <= set(names)
    assert "public" not in names and names == sorted(names)


def test_a_per_tenant_job_runs_in_its_tenant_and_is_skipped_without_one(tenant_a, caplog):
    @per_tenant
    def job():
        return connection.schema_name

    with tenant_a.schema():
        assert job() == tenant_a.tenant.schema_name
    with caplog.at_level(logging.ERROR, logger="apps.tenants.jobs"):
        assert job() is None  # on the public schema: a message that lost its tenant header
    assert "arrived without a tenant schema" in caplog.text
