"""The work payload is one selector result (Work) serialized by the one serializer per response
shape that the OpenAPI schema documents: what /next, /claim and /start serve is that serialization."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer

from apps.people.models import Person
from apps.playbooks.models import Playbook
from apps.tasks.models import Project, Task, TaskPerson
from apps.workloop.selectors import Work, work_get
from apps.workloop.serializers import StartPayloadSerializer, WorkPayloadSerializer


@pytest.fixture(scope="module")
def components() -> dict:
    return SchemaGenerator(urlconf="expertly.urls").get_schema(request=None, public=True)["components"]["schemas"]


@pytest.fixture
def task(tenant_a):
    """A queued task with a project (and another task in it), two people and a must-consult playbook."""
    with tenant_a.schema():
        owner = tenant_a.owner
        project = Project.objects.create(user=owner, name="Launch")
        task = Task.objects.create(user=owner, title="Draft email to the team", priority=1, project=project)
        Task.objects.create(user=owner, title="Book the venue", project=project)
        for name, role in (("Maria", "recipient"), ("Ben", None)):
            TaskPerson.objects.create(task=task, person=Person.objects.create(user=owner, name=name), role=role)
        Playbook.objects.create(user=owner, name="email guide", description="How we write emails.",
                                triggers=["draft email"], category="communication", must_consult=True, content="Brief.")
    return task


def test_no_task_is_an_empty_work_serialized_as_nulls():
    assert work_get(task=None, user=None) == Work()
    assert WorkPayloadSerializer(Work()).data == {"task": None, "context": None, "matched_playbooks": [],
                                                  "must_consult_warnings": []}


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
    assert {key: start[key] for key in payload} == payload


def test_the_schema_documents_the_shape_served(tenant_a, task, components):
    with tenant_a.schema():
        work = work_get(task=task, user=tenant_a.owner)
        served = {"WorkPayload": WorkPayloadSerializer(work).data, "StartPayload": StartPayloadSerializer(work).data}
    for name, data in served.items():
        assert list(components[name]["properties"]) == list(data), name
    assert list(components["WorkContext"]["properties"]) == list(served["WorkPayload"]["context"])
    person = served["WorkPayload"]["context"]["people"][0]
    assert list(components["ContextPerson"]["properties"]) == list(person)
