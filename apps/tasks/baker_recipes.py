"""model-bakery recipes for projects and tasks: `baker.make_recipe("tasks.project", user=owner)`.
Pass `user=` explicitly: rows live in the tenant's schema."""

from model_bakery.recipe import Recipe, seq

from .models import Project, ProjectType, Task, TaskStatus

project = Recipe(Project, name=seq("Project "), project_type=ProjectType.PROJECT, metadata=dict)
initiative = project.extend(name=seq("Initiative "), project_type=ProjectType.INITIATIVE)

task = Recipe(Task, title=seq("Task "), status=TaskStatus.QUEUED, priority=3, context=dict, tags=list)
