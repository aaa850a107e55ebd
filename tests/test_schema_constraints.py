"""Every CHECK and unique constraint of the data model rejects bad rows in PostgreSQL itself.

Table-driven: each case builds a valid row, breaks one thing, and expects the database to refuse it
with the named constraint. A last test makes sure no constraint of the models is left untested.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from model_bakery import baker

from apps.accounts.models import User
from apps.drafts.models import Draft
from apps.tasks.models import Project, Task
from apps.tenants.models import Tenant

NOW = timezone.now()


def _row(recipe: str, user, **fields):
    """An unsaved row from the app's model-bakery recipe, owned by `user`: valid unless `fields` break it."""
    return baker.prepare_recipe(recipe, user=user, **fields)


# (constraint name, builder(user, saved) -> unsaved instance that violates it)
TENANT_CASES = [
    ("task_priority_range", lambda u, s: _row("tasks.task", u, priority=0)),
    ("task_priority_range", lambda u, s: _row("tasks.task", u, priority=6)),
    ("task_status_valid", lambda u, s: _row("tasks.task", u, status="done")),
    ("task_assignee_valid", lambda u, s: _row("tasks.task", u, assignee="bob")),
    ("task_source_valid", lambda u, s: _row("tasks.task", u, source="email")),
    ("task_completed_has_timestamp", lambda u, s: _row("tasks.task", u, status="completed")),
    ("task_blocked_has_question", lambda u, s: _row("tasks.task", u, status="blocked")),
    ("task_recurring_slot_unique",
     lambda u, s: _row("tasks.task", u, recurring_task=s["recurring"], scheduled_for=s["slot_task"].scheduled_for)),
    ("project_type_valid", lambda u, s: _row("tasks.project", u, project_type="epic")),
    ("project_status_valid", lambda u, s: _row("tasks.project", u, status="paused")),
    ("project_not_own_parent", lambda u, s: Project.objects.filter(pk=s["project"].pk).update(parent=s["project"])),
    ("task_person_unique", lambda u, s: baker.prepare_recipe("tasks.task_person", task=s["task"], person=s["person"])),
    ("task_person_role_valid", lambda u, s: baker.prepare_recipe("tasks.task_person", task=s["task2"], person=s["person"],
                                                                                role="boss")),
    ("recurring_frequency_valid", lambda u, s: _row("tasks.recurring", u, frequency="hourly")),
    ("recurring_custom_has_cron", lambda u, s: _row("tasks.recurring", u, frequency="custom")),
    ("recurring_custom_has_cron", lambda u, s: _row("tasks.recurring", u, frequency="custom", cron_expression="")),
    ("waiting_status_valid", lambda u, s: _row("tasks.waiting", u, status="pending")),
    ("waiting_resolved_has_timestamp", lambda u, s: _row("tasks.waiting", u, status="resolved")),
    ("question_priority_range", lambda u, s: _row("questions.question", u, priority=9)),
    ("question_status_valid", lambda u, s: _row("questions.question", u, status="open")),
    ("question_priority_reason_valid", lambda u, s: _row("questions.question", u, priority_reason="urgent")),
    ("question_answered_by_valid", lambda u, s: _row("questions.question", u, answered_by="bob")),
    ("question_answered_has_answer", lambda u, s: _row("questions.question", u, status="answered")),
    ("question_unblock_unique", lambda u, s: baker.prepare_recipe("questions.unblock", question=s["question"],
                                                                               task=s["task"])),
    ("client_status_valid", lambda u, s: _row("people.client", u, status="lost")),
    ("person_relationship_valid", lambda u, s: _row("people.person", u, relationship="enemy")),
    ("draft_type_valid", lambda u, s: _row("drafts.draft", u, type="fax")),
    ("draft_status_valid", lambda u, s: _row("drafts.draft", u, status="queued")),
    ("draft_not_revision_of_itself", lambda u, s: Draft.objects.filter(pk=s["draft"].pk).update(revision_of=s["draft"])),
    ("draft_rejected_has_feedback", lambda u, s: _row("drafts.draft", u, status="rejected")),
    ("draft_rejected_has_feedback", lambda u, s: _row("drafts.draft", u, status="rejected", feedback="")),
    ("draft_approved_has_timestamp", lambda u, s: _row("drafts.draft", u, status="approved")),
    ("draft_sent_has_timestamp", lambda u, s: _row("drafts.draft", u, status="sent", approved_at=NOW)),
    ("playbook_status_valid", lambda u, s: _row("playbooks.playbook", u, status="draft")),
    ("playbook_use_count_not_negative", lambda u, s: _row("playbooks.playbook", u, use_count=-1)),
    ("playbook_name_not_blank", lambda u, s: _row("playbooks.playbook", u, name="")),
    ("playbook_rejected_has_reason", lambda u, s: _row("playbooks.playbook", u, status="rejected")),
    ("playbook_rejected_has_reason", lambda u, s: _row("playbooks.playbook", u, status="rejected", rejected_reason="")),
    ("knowledge_source_type_valid", lambda u, s: _row("knowledge.knowledge", u, source_type="email")),
    ("knowledge_category_valid", lambda u, s: _row("knowledge.knowledge", u, category="gossip")),
    ("knowledge_status_valid", lambda u, s: _row("knowledge.knowledge", u, status="done")),
    ("knowledge_routed_to_type_valid", lambda u, s: _row("knowledge.knowledge", u, routed_to_type="task")),
    ("knowledge_routed_has_target", lambda u, s: _row("knowledge.knowledge", u, status="routed")),
    ("knowledge_trigger_source_has_phrase", lambda u, s: _row("knowledge.knowledge", u, source_type="trigger_phrase")),
    ("knowledge_dismissed_has_reason", lambda u, s: _row("knowledge.knowledge", u, status="dismissed")),
    ("knowledge_dismissed_has_reason", lambda u, s: _row("knowledge.knowledge", u, status="dismissed", dismissed_reason="")),
    ("sales_stage_valid", lambda u, s: _row("sales.opportunity", u, stage="won")),
    ("sales_probability_range", lambda u, s: _row("sales.opportunity", u, probability=101)),
    ("sales_probability_range", lambda u, s: _row("sales.opportunity", u, probability=-1)),
    ("sales_value_not_negative", lambda u, s: _row("sales.opportunity", u, value=-5)),
    ("sales_closed_has_timestamp", lambda u, s: _row("sales.opportunity", u, stage="closed_won")),
    ("log_actor_valid", lambda u, s: _row("activity.log", u, actor="robot")),
    ("log_action_format", lambda u, s: _row("activity.log", u, action="Task Created")),
]


@pytest.fixture
def saved_rows(tenant_a):
    """Valid rows the duplicate and self-reference cases point at."""
    recurring = tenant_a.make("tasks.recurring", title="Triage inbox", next_run=NOW)
    rows = {
        "task": tenant_a.make("tasks.task", title="A"),
        "task2": tenant_a.make("tasks.task", title="B"),
        "person": tenant_a.make("people.person", name="Patrick Fields"),
        "question": tenant_a.make("questions.question"),
        "project": tenant_a.make("tasks.project", name="Liberty Hotel"),
        "draft": tenant_a.make("drafts.draft"),
        "recurring": recurring,
        "slot_task": tenant_a.make("tasks.task", title="C", recurring_task=recurring, scheduled_for=NOW),
    }
    tenant_a.make("tasks.task_person", task=rows["task"], person=rows["person"])
    tenant_a.make("questions.unblock", question=rows["question"], task=rows["task"])
    return rows


def _assert_refused(instance, constraint: str) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        instance.save()
    assert constraint in str(excinfo.value)


@pytest.mark.parametrize(("constraint", "build"), TENANT_CASES, ids=[c for c, _ in TENANT_CASES])
def test_tenant_constraint_rejects_bad_row(tenant_a, saved_rows, constraint, build):
    with tenant_a.schema():
        if constraint in ("project_not_own_parent", "draft_not_revision_of_itself"):
            # an update that points an existing row at itself
            with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
                build(tenant_a.owner, saved_rows)
            assert constraint in str(excinfo.value)
        else:
            _assert_refused(build(tenant_a.owner, saved_rows), constraint)


def test_valid_rows_are_accepted(tenant_a):
    """The builders above are valid apart from what each case breaks."""
    user = tenant_a.owner
    with tenant_a.schema():
        for instance in [*(_row(recipe, user) for recipe in ("tasks.task", "questions.question", "drafts.draft",
                                                             "playbooks.playbook", "knowledge.knowledge",
                                                             "sales.opportunity", "tasks.recurring", "tasks.waiting")),
                         _row("drafts.draft", user, status="sent", approved_at=NOW, sent_at=NOW),
                         _row("sales.opportunity", user, stage="closed_lost", closed_at=NOW, probability=0, value=0),
                         _row("tasks.recurring", user, frequency="custom", cron_expression="0 16 * * FRI")]:
            instance.save()
        assert Task.objects.count() == 1


PUBLIC_CASES = [
    ("user_email_unique_per_tenant",
     lambda w: baker.prepare_recipe("accounts.user", tenant=w.tenant, email=w.owner.email)),
    ("user_email_lowercase", lambda w: baker.prepare_recipe("accounts.user", tenant=w.tenant,
                                                                           email="Someone@Example.com")),
    ("user_role_valid", lambda w: baker.prepare_recipe("accounts.user", tenant=w.tenant, role="root")),
    ("user_staff_has_no_tenant", lambda w: baker.prepare_recipe("accounts.user", tenant=w.tenant,
                                                                               is_staff=True)),
    ("apikey_hash_is_sha256_hex", lambda w: baker.prepare_recipe("accounts.api_key", user=w.owner, key_hash="nothex")),
    ("apikey_prefix_format", lambda w: baker.prepare_recipe("accounts.api_key", user=w.owner, prefix="key_1")),
    ("apikey_role_valid", lambda w: baker.prepare_recipe("accounts.api_key", user=w.owner, role="admin")),
    ("accounts_apikey_prefix_key", lambda w: baker.prepare_recipe("accounts.api_key", user=w.owner,
                                                                  prefix=w.owner.api_keys.first().prefix)),
    ("accounts_apikey_key_hash_key", lambda w: baker.prepare_recipe("accounts.api_key", user=w.owner,
                                                                    key_hash=w.owner.api_keys.first().key_hash)),
    ("tenant_database_mode_valid", lambda w: Tenant(name="X", slug="xx-a", schema_name="xx_a", database_mode="cloud")),
    ("tenant_tier_valid", lambda w: Tenant(name="X", slug="xx-b", schema_name="xx_b", tier="gold")),
    ("tenant_dedicated_has_connection",
     lambda w: Tenant(name="X", slug="xx-c", schema_name="xx_c", database_mode="dedicated")),
    ("tenant_slug_format", lambda w: Tenant(name="X", slug="Bad_Slug", schema_name="Bad_Slug")),
    ("tenant_schema_matches_slug", lambda w: Tenant(name="X", slug="xx-d", schema_name="other_x")),
    ("tenants_tenant_schema_name_key",
     lambda w: Tenant(name="X", slug=w.tenant.slug, schema_name=w.tenant.schema_name)),
]


@pytest.mark.parametrize(("constraint", "build"), PUBLIC_CASES, ids=[c for c, _ in PUBLIC_CASES])
def test_public_constraint_rejects_bad_row(tenant_a, constraint, build):
    instance = build(tenant_a)
    if isinstance(instance, Tenant):
        # bulk_create skips django-tenants' save() (its own checks and schema creation): the
        # database alone must refuse the row.
        with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
            Tenant.objects.bulk_create([instance])
        assert constraint in str(excinfo.value)
    else:
        _assert_refused(instance, constraint)


def test_ops_staff_emails_are_unique_too(db):
    User.objects.create_superuser("ops@expertly.example", "pw-123456789")
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        User(email="ops@expertly.example", is_staff=True).save()
    assert "user_email_unique_per_tenant" in str(excinfo.value)


def test_every_model_constraint_has_a_case():
    tested = {name for name, _ in TENANT_CASES + PUBLIC_CASES}
    declared = {
        constraint.name
        for app in ("accounts", "tenants", "tasks", "questions", "people", "drafts", "playbooks", "knowledge", "sales",
                    "activity")
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint | models.UniqueConstraint)
    }
    assert declared - tested == set()


def test_blocked_task_with_question_and_completed_task_with_timestamp_are_valid(tenant_a, saved_rows):
    with tenant_a.schema():
        tenant_a.make("tasks.task", title="x", status="blocked", blocking_question=saved_rows["question"])
        tenant_a.make("tasks.task", title="y", status="completed", completed_at=NOW - timedelta(hours=1))
        assert Task.objects.filter(status__in=["blocked", "completed"]).count() == 2
