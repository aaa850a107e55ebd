"""What the playbooks table itself refuses (the Meta constraints), whatever writes to it."""

import pytest
from django.db import IntegrityError, transaction

from apps.playbooks.models import Playbook


def test_the_database_refuses_a_rejected_playbook_without_a_reason(tenant_a):
    playbook = tenant_a.make("playbooks.playbook", status="proposed")
    with tenant_a.schema(), pytest.raises(IntegrityError), transaction.atomic():
        Playbook.objects.filter(pk=playbook.pk).update(status="rejected")
