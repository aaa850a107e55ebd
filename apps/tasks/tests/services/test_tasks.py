"""task_update through core model_update: an update that changes nothing writes and logs nothing, the
Log names the changed fields by attname, and a change of people is a change."""

from model_bakery import baker

from apps.activity.models import Log
from apps.knowledge.models import Knowledge
from apps.tasks.models import Task, TaskPerson
from apps.tasks.services.tasks import task_update


def _updates(task) -> list[list[str]]:
    logs = Log.objects.filter(action="task.updated", entity_id=task.pk).order_by("timestamp")
    return [details["fields"] for details in logs.values_list("details", flat=True)]


def test_an_update_that_changes_nothing_writes_and_logs_nothing(tenant_a):
    with tenant_a.schema():
        task = baker.make_recipe("tasks.task", user=tenant_a.owner, title="Weekly report")
        person = baker.make_recipe("people.person", user=tenant_a.owner)
        TaskPerson.objects.create(task=task, person=person, role="recipient")
        stamp = Task.objects.get(pk=task.pk).updated_at
        task_update(task=task, by=tenant_a.by_claude, title="Weekly report", priority=3,
                    people=[{"person": person, "role": "recipient"}])
        assert Task.objects.get(pk=task.pk).updated_at == stamp
        assert _updates(task) == []


def test_the_log_names_the_changed_fields_by_attname_and_people_count(tenant_a):
    with tenant_a.schema():
        task = baker.make_recipe("tasks.task", user=tenant_a.owner)
        project = baker.make_recipe("tasks.project", user=tenant_a.owner)
        person = baker.make_recipe("people.person", user=tenant_a.owner)
        task_update(task=task, by=tenant_a.by_claude, project=project, priority=1)
        task_update(task=task, by=tenant_a.by_claude, people=[{"person": person, "role": None}])
        assert _updates(task) == [["priority", "project_id"], ["people"]]
        assert Task.objects.get(pk=task.pk).project_id == project.pk


def test_the_owner_changing_a_description_still_captures_its_trigger_phrase(tenant_a):
    with tenant_a.schema():
        task = baker.make_recipe("tasks.task", user=tenant_a.owner, description="Send the report.")
        task_update(task=task, by=tenant_a.by_owner,
                    description="Send the report. For future reference, Patrick wants it as a PDF.")
        assert Knowledge.objects.get(source_task=task).trigger_phrase == "for future reference"
        assert _updates(task) == [["description"]]
