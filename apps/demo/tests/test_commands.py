"""seed_demo, as scripts use it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.drafts.models import Draft
from apps.playbooks.models import Playbook
from apps.questions.models import Question
from apps.sales.models import SalesOpportunity
from apps.tasks.models import Task


def _demo_counts():
    return {
        "tasks": sorted(Task.objects.values_list("status", flat=True)),
        "stages": sorted(SalesOpportunity.objects.values_list("stage", flat=True)),
        "questions": Question.objects.count(),
        "drafts": Draft.objects.count(),
        "playbooks": Playbook.objects.count(),
    }


def test_seed_demo_builds_a_coherent_workspace_and_is_idempotent(tenant_b):
    call_command("seed_demo", "tenant-b", stdout=StringIO())
    with tenant_b.schema():
        first = _demo_counts()
        assert set(first["tasks"]) == {"queued", "working", "blocked", "completed", "cancelled"}
        assert set(first["stages"]) == {"lead", "qualified", "proposal", "negotiation", "closed_won", "closed_lost"}
        guide = Playbook.objects.get(name="email-drafting-guide")
        assert guide.must_consult and "draft email" in guide.triggers
        blocked = Task.objects.filter(status="blocked")
        assert blocked.exists()
        assert all(t.blocking_question.unblocks.filter(pk=t.pk).exists() for t in blocked)
        assert Task.objects.filter(assignee="user").exists()
    call_command("seed_demo", "tenant-b", stdout=StringIO())
    with tenant_b.schema():
        assert _demo_counts() == first


def test_seed_demo_names_a_missing_tenant(db):
    with pytest.raises(CommandError, match="No tenant 'nope'"):
        call_command("seed_demo", "nope")
