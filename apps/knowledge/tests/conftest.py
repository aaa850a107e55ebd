"""Fixtures of the knowledge tests."""

import pytest


@pytest.fixture
def owner(tenant_a):
    """Tenant A's owner, with the ORM inside tenant A's schema for the whole test."""
    with tenant_a.schema():
        yield tenant_a.owner
