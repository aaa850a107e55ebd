"""Projects, tasks (the core work unit), the people on a task, recurring templates and waiting items."""

from datetime import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from apps.core.fields import UserForeignKey
from apps.core.models import CreatedModel, TimestampedModel, UUIDModel, choices_check


class ProjectType(models.TextChoices):
    PROJECT = "project", "Project"  # a concrete deliverable
    INITIATIVE = "initiative", "Initiative"  # a strategic effort
    GOAL = "goal", "Goal"  # an outcome target


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    ARCHIVED = "archived", "Archived"


class TaskStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    WORKING = "working", "Working"
    BLOCKED = "blocked", "Blocked"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Assignee(models.TextChoices):
    CLAUDE = "claude", "Claude"
    USER = "user", "User"


class TaskSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    RECURRING = "recurring", "Recurring"
    CLAUDE = "claude", "Claude"
    IMPORT = "import", "Imported"


class TaskPersonRole(models.TextChoices):
    SUBJECT = "subject", "Subject"
    RECIPIENT = "recipient", "Recipient"
    STAKEHOLDER = "stakeholder", "Stakeholder"
    MENTIONED = "mentioned", "Mentioned"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    CUSTOM = "custom", "Custom (cron)"


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    RESOLVED = "resolved", "Resolved"
    ABANDONED = "abandoned", "Abandoned"


class Project(TimestampedModel):
    """A project, an initiative or a goal; initiatives contain projects through `parent`."""

    Type = ProjectType
    Status = ProjectStatus

    user = UserForeignKey(db_on_delete="SET NULL", blank=True, related_name="+")
    client = models.ForeignKey(
        "people.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    project_type = models.CharField(max_length=50, choices=ProjectType.choices, default=ProjectType.PROJECT)
    status = models.CharField(max_length=50, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    priority_order = models.IntegerField(default=0)
    success_criteria = models.TextField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    metadata = models.JSONField(default=dict, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config="english")
        + SearchVector("description", "success_criteria", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["priority_order", "name"]
        indexes = [GinIndex(fields=["search_vector"], name="idx_projects_search")]
        constraints = [
            choices_check("project_type_valid", "project_type", ProjectType),
            choices_check("project_status_valid", "status", ProjectStatus),
            models.CheckConstraint(name="project_not_own_parent", condition=~Q(parent=F("id"))),
        ]

    def __str__(self) -> str:
        return self.name


class Task(TimestampedModel):
    Status = TaskStatus
    Assignee = Assignee
    Source = TaskSource
    OPEN_STATUSES = (TaskStatus.QUEUED, TaskStatus.WORKING, TaskStatus.BLOCKED)

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+", db_index=False)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", db_index=False
    )
    title = models.CharField(max_length=500)
    description = models.TextField(null=True, blank=True)
    priority = models.IntegerField(default=3, help_text="1 (highest) to 5 (lowest)")
    status = models.CharField(max_length=50, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    assignee = models.CharField(max_length=50, choices=Assignee.choices, default=Assignee.CLAUDE)
    due_date = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    blocking_question = models.ForeignKey(
        "questions.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blocked_tasks",
        db_index=False,
    )
    context = models.JSONField(default=dict, blank=True, help_text="Related entities, background, answers received")
    output = models.TextField(null=True, blank=True)
    source = models.CharField(max_length=100, choices=TaskSource.choices, null=True, blank=True)
    tags = ArrayField(models.TextField(), default=list, blank=True)
    people = models.ManyToManyField("people.Person", through="TaskPerson", related_name="tasks", blank=True)
    # A task materialized from a recurring template, and the slot it was made for: unique
    # together, so a second beat or a redelivered job never creates a duplicate.
    recurring_task = models.ForeignKey(
        "RecurringTask", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", db_index=False
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["priority", "created_at"]
        indexes = [
            # The next-task query: queued, assigned to Claude, ordered by priority, due date, age.
            # The seed's (user_id, status, priority, created_at) with status fixed by the predicate
            # and due_date added so the whole ORDER BY is served from the index.
            models.Index(
                F("user"),
                F("priority"),
                F("due_date").asc(nulls_last=True),
                F("created_at"),
                name="idx_tasks_next",
                condition=Q(status="queued", assignee="claude"),
            ),
            models.Index(fields=["user", "status"], name="idx_tasks_user_status"),
            models.Index(fields=["project"], name="idx_tasks_project"),
            models.Index(
                fields=["blocking_question"], name="idx_tasks_blocking", condition=Q(blocking_question__isnull=False)
            ),
            models.Index(fields=["due_date"], name="idx_tasks_due", condition=Q(status__in=["queued", "working", "blocked"])),
            GinIndex(fields=["search_vector"], name="idx_tasks_search"),
            GinIndex(fields=["tags"], name="idx_tasks_tags"),
            # Not in the seed: the dashboard's hot paths at 100k tasks (docs/PERFORMANCE.md).
            # Open tasks in next-task order (today_priorities), and their counts, by index only.
            models.Index(
                fields=["user", "priority", "due_date", "created_at", "status"],
                name="idx_tasks_open_order",
                condition=Q(status__in=["queued", "working", "blocked"]),
            ),
            # Completed tasks by completion time (stats: completed today / this week).
            models.Index(fields=["user", "completed_at"], name="idx_tasks_completed", condition=Q(status="completed")),
        ]
        constraints = [
            models.CheckConstraint(name="task_priority_range", condition=Q(priority__gte=1, priority__lte=5)),
            choices_check("task_status_valid", "status", TaskStatus),
            choices_check("task_assignee_valid", "assignee", Assignee),
            choices_check("task_source_valid", "source", TaskSource, null=True),
            models.CheckConstraint(
                name="task_completed_has_timestamp",
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="task_blocked_has_question",
                condition=~Q(status="blocked") | Q(blocking_question__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["recurring_task", "scheduled_for"],
                name="task_recurring_slot_unique",
                condition=Q(recurring_task__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class TaskPerson(UUIDModel):
    """Which people matter to a task, and how (the seed's task_people)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_people", db_index=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="task_people")
    role = models.CharField(max_length=50, choices=TaskPersonRole.choices, null=True, blank=True)

    class Meta:
        verbose_name = "task person"
        constraints = [
            models.UniqueConstraint(fields=["task", "person"], name="task_person_unique"),
            choices_check("task_person_role_valid", "role", TaskPersonRole, null=True),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role or 'related'}) on {self.task}"


class RecurringTask(CreatedModel):
    """A template that Celery beat turns into a Task at every `next_run`."""

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+")
    title = models.CharField(max_length=500)
    description = models.TextField(null=True, blank=True)
    task_template = models.JSONField(default=dict, blank=True, help_text="Task fields to use: priority, project_id, …")
    frequency = models.CharField(max_length=50, choices=Frequency.choices)
    cron_expression = models.CharField(max_length=100, null=True, blank=True)
    last_run = models.DateTimeField(null=True, blank=True)
    next_run = models.DateTimeField()
    # The occurrence a daily/weekly/monthly series counts from: runs fall on its wall-clock time (and
    # weekday or day of month) in the owner's time zone. Kept apart from next_run so a time that a DST
    # change skips, or a 31st in a short month, shifts that one run and not every later one.
    schedule_anchor = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["next_run"]
        indexes = [models.Index(fields=["next_run"], name="idx_recurring_due", condition=Q(active=True))]
        constraints = [
            choices_check("recurring_frequency_valid", "frequency", Frequency),
            models.CheckConstraint(
                name="recurring_custom_has_cron",
                condition=~Q(frequency="custom") | (Q(cron_expression__isnull=False) & ~Q(cron_expression="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_frequency_display()})"


class WaitingItem(CreatedModel):
    """Something we are waiting on from someone else."""

    Status = WaitingStatus

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="waiting_items")
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="waiting_items"
    )
    what = models.TextField()
    who = models.CharField(max_length=255, null=True, blank=True)
    since = models.DateTimeField(default=timezone.now, null=True, blank=True)
    follow_up_date = models.DateTimeField(null=True, blank=True)
    why_it_matters = models.TextField(null=True, blank=True)
    status = models.CharField(max_length=50, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_notes = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["follow_up_date", "since"]
        indexes = [models.Index(fields=["follow_up_date"], name="idx_waiting_follow_up", condition=Q(status="waiting"))]
        constraints = [
            choices_check("waiting_status_valid", "status", WaitingStatus),
            models.CheckConstraint(
                name="waiting_resolved_has_timestamp",
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Still waiting and past the follow-up date (the rule waiting_overdue queries)."""
        return (self.status == WaitingStatus.WAITING and self.follow_up_date is not None
                and self.follow_up_date < (now or timezone.now()))
