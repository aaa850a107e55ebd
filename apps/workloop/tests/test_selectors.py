"""The loop's reads. task_next: the next task's order, served by its partial index. The work payload
is one selector result (Work) serialized by the one serializer per response shape that the OpenAPI
schema documents: what /next, /claim and /start serve is that serialization."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer

from apps.tasks.models import Task
from apps.tasks.services.tasks import task_start
from apps.workloop.selectors import Work, task_next, task_next_queryset, work_get
from apps.workloop.serializers import StartPayloadSerializer, WorkPayloadSerializer


@pytest.fixture(scope="module")
def components() -> dict:
    return SchemaGenerator(urlconf="expertly.urls").get_schema(request=None, public=True)["components"]["schemas"]


@pytest.fixture
def task(tenant_a):
    """A queued task with a project (and another task in it), two people and a must-consult playbook."""
    project = tenant_a.make("tasks.project", name="Launch")
    task = tenant_a.make("tasks.task", title="Draft email to the team", priority=1, project=project)
    tenant_a.make("tasks.task", title="Book the venue", project=project)
    for name, role in (("Maria", "recipient"), ("Ben", None)):
        tenant_a.make("tasks.task_person", task=task, person=tenant_a.make("people.person", name=name), role=role)
    tenant_a.make("playbooks.email_guide", name="email guide", description="How we write emails.",
                  triggers=["draft email"], content="Brief.")
    return task


# --- task_next --------------------------------------------------------------------------------

def test_next_orders_by_priority_then_due_date_then_age(tenant_a):
    now = timezone.now()
    with tenant_a.schema():
        tenant_a.make("tasks.task", title="p2 old", priority=2)
        tenant_a.make("tasks.task", title="p1 undated", priority=1)
        tenant_a.make("tasks.task", title="p1 due later", priority=1, due_date=now + timedelta(days=3))
        tenant_a.make("tasks.task", title="p1 due soon", priority=1, due_date=now + timedelta(days=1))
        tenant_a.make("tasks.task", title="p1 for the owner", priority=1, assignee="user")
        tenant_a.make("tasks.task", title="p1 working", priority=1, status="working")
        order = []
        while (task := task_next(user=tenant_a.owner)) is not None:
            order.append(task.title)
            task_start(task=task, by=tenant_a.by_claude)
    assert order == ["p1 due soon", "p1 due later", "p1 undated", "p2 old"]


def test_next_uses_the_partial_index(tenant_a):
    with tenant_a.schema():
        tenant_a.make("tasks.task", _quantity=3000, _bulk_create=True, title=(f"t{i}" for i in range(3000)),
                      priority=(1 + i % 5 for i in range(3000)))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tasks_task")
        plan = task_next_queryset(user=tenant_a.owner)[:1].explain()
    assert "idx_tasks_next" in plan


# --- the work payload ------------------------------------------------------------------------

def test_no_task_is_an_empty_work_serialized_as_nulls():
    assert work_get(task=None, user=None) == Work()
    assert WorkPayloadSerializer(Work()).data == {"task": None, "context": None, "matched_playbooks": [],
                                                  "must_consult_warnings": [], "reason": None}


def test_the_work_holds_the_task_and_what_it_is_worked_from(tenant_a, task):
    with tenant_a.schema():
        work = work_get(task=task, user=tenant_a.owner)
    assert work.task == task and work.context.project == task.project
    assert sorted(p.name for p in work.context.people) == ["Ben", "Maria"]
    assert {p.name: work.context.roles[p.pk] for p in work.context.people} == {"Maria": "recipient", "Ben": None}
    assert [t.title for t in work.context.recent_tasks] == ["Book the venue"]
    assert [m.playbook.name for m in work.matched_playbooks] == ["email guide"]
    assert [m.playbook.name for m in work.must_consult_warnings] == ["email guide"]


def test_next_serves_the_serialized_work_byte_for_byte(tenant_a, task):
    response = tenant_a.api().get("/api/tasks/next")
    with tenant_a.schema():
        data = WorkPayloadSerializer(work_get(task=Task.objects.get(pk=task.pk), user=tenant_a.owner)).data
    assert response.content == JSONRenderer().render(data)


def test_start_is_the_same_work_with_the_seeds_playbooks_key(tenant_a, task):
    with tenant_a.schema():
        work = work_get(task=task, user=tenant_a.owner)
        start, payload = StartPayloadSerializer(work).data, WorkPayloadSerializer(work).data
    assert list(start) == ["task", "context", "playbooks", "matched_playbooks", "must_consult_warnings"]
    assert start["playbooks"] == start["matched_playbooks"] == payload["matched_playbooks"]
    assert {key: start[key] for key in payload if key != "reason"} == {k: v for k, v in payload.items() if k != "reason"}
    assert payload["reason"] is None  # a started task is work; `reason` says why there is none


def test_the_schema_documents_the_shape_served(tenant_a, task, components):
    with tenant_a.schema():
        work = work_get(task=task, user=tenant_a.owner)
        served = {"WorkPayload": WorkPayloadSerializer(work).data, "StartPayload": StartPayloadSerializer(work).data}
    for name, data in served.items():
        assert list(components[name]["properties"]) == list(data), name
    assert list(components["WorkContext"]["properties"]) == list(served["WorkPayload"]["context"])
    person = served["WorkPayload"]["context"]["people"][0]
    assert list(components["ContextPerson"]["properties"]) == list(person)
