"""model-bakery recipes for projects, tasks, the people on them, waiting items and recurring templates:
`tenant_a.make("tasks.task", title=...)` (see the root conftest), or `baker.make_recipe("tasks.project",
user=owner)` inside the tenant's schema. Pass `user=` explicitly: rows live in the tenant's schema."""

from datetime import timedelta

from django.utils import timezone
from model_bakery.recipe import Recipe, seq

from .models import Frequency, Project, ProjectType, RecurringTask, Task, TaskPerson, TaskStatus, WaitingItem

project = Recipe(Project, name=seq("Project "), project_type=ProjectType.PROJECT, metadata=dict)
initiative = project.extend(name=seq("Initiative "), project_type=ProjectType.INITIATIVE)

task = Recipe(Task, title=seq("Task "), status=TaskStatus.QUEUED, priority=3, context=dict, tags=list)

# Someone on a task (the seed's task_people); pass `task=` and `person=` (they carry the owner).
task_person = Recipe(TaskPerson)

waiting = Recipe(WaitingItem, what=seq("Waiting on "))

recurring = Recipe(RecurringTask, title=seq("Recurring "), frequency=Frequency.DAILY, next_run=timezone.now,
                   task_template=dict)

# A weekly template whose run came five minutes ago: what the beat and POST /api/recurring/{id}/run pick up.
due = recurring.extend(title="Send the weekly report", frequency=Frequency.WEEKLY,
                       next_run=lambda: timezone.now() - timedelta(minutes=5))
