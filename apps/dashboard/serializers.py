"""API shapes of the dashboard and its stats."""

from rest_framework import serializers

from apps.drafts.models import Draft
from apps.questions.serializers import QuestionSerializer
from apps.tasks.api.serializers import ProjectBriefSerializer
from apps.tasks.models import Task, WaitingItem

from .selectors import COUNT_LIMIT, waiting_who

SNIPPET_CHARS = 200


class DashboardTaskSerializer(serializers.ModelSerializer):
    """A task as a dashboard card shows it (the full task is at /api/tasks/{id})."""

    project = ProjectBriefSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "priority", "status", "assignee", "project", "due_date", "started_at",
                  "blocking_question_id", "tags", "created_at", "updated_at"]


class DraftToReviewSerializer(serializers.ModelSerializer):
    preview = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = ["id", "type", "recipient", "subject", "preview", "status", "task_id", "revision_of_id",
                  "created_at"]

    def get_preview(self, draft) -> str:
        text = " ".join(draft.body.split())
        return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


class WaitingOnSerializer(serializers.ModelSerializer):
    who = serializers.SerializerMethodField()
    days_waiting = serializers.SerializerMethodField(help_text="Whole days since `since`.")
    overdue = serializers.SerializerMethodField(help_text="The follow-up date has passed.")

    class Meta:
        model = WaitingItem
        fields = ["id", "what", "who", "person_id", "task_id", "since", "follow_up_date", "why_it_matters",
                  "days_waiting", "overdue"]

    def get_who(self, item) -> str | None:
        return waiting_who(item)

    def get_days_waiting(self, item) -> int | None:
        return (self.context["as_of"] - item.since).days if item.since else None

    def get_overdue(self, item) -> bool:
        return item.is_overdue(self.context["as_of"])


class CalendarItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["task", "waiting"], help_text="task: due date; waiting: follow-up date")
    id = serializers.UUIDField()
    title = serializers.CharField()
    date = serializers.DateTimeField()
    day = serializers.DateField(help_text="The date in the owner's time zone.")
    overdue = serializers.BooleanField()
    priority = serializers.IntegerField(allow_null=True, help_text="Tasks only.")
    status = serializers.CharField(allow_null=True)
    who = serializers.CharField(allow_null=True, help_text="Waiting items only.")


class DashboardCountsSerializer(serializers.Serializer):
    open_tasks = serializers.IntegerField()
    blocked_tasks = serializers.IntegerField()
    questions_for_you = serializers.IntegerField()
    drafts_to_review = serializers.IntegerField()
    waiting_on = serializers.IntegerField()
    this_week = serializers.IntegerField()
    overdue_items = serializers.IntegerField()
    over_limit = serializers.ListField(
        child=serializers.CharField(),
        help_text=f"Counts are exact up to {COUNT_LIMIT}; the names listed here have more than that (show them as "
                  f"{COUNT_LIMIT}+).",
    )


class DashboardSerializer(serializers.Serializer):
    timezone = serializers.CharField(help_text="The owner's time zone: 'today' and 'this week' are its.")
    today = serializers.DateField()
    week_start = serializers.DateField(help_text="Monday of this week.")
    as_of = serializers.DateTimeField()
    today_priorities = DashboardTaskSerializer(many=True)
    questions_for_you = QuestionSerializer(many=True)
    claude_working_on = DashboardTaskSerializer(allow_null=True)
    drafts_to_review = DraftToReviewSerializer(many=True)
    waiting_on = WaitingOnSerializer(many=True)
    this_week = CalendarItemSerializer(many=True)
    overdue_items = CalendarItemSerializer(many=True)
    counts = DashboardCountsSerializer(help_text="Totals: the lists above are cut to their first rows.")

    def to_representation(self, instance):
        self.context.setdefault("as_of", instance["as_of"])
        return super().to_representation(instance)


class DashboardStatsSerializer(serializers.Serializer):
    timezone = serializers.CharField()
    today = serializers.DateField()
    week_start = serializers.DateField()
    tasks_completed_today = serializers.IntegerField()
    tasks_completed_this_week = serializers.IntegerField()
    questions_answered_today = serializers.IntegerField()
    drafts_reviewed_today = serializers.IntegerField(help_text="Approved or rejected today.")
    average_question_response_time = serializers.FloatField(
        allow_null=True, help_text="Seconds from asking to answering, over all answered questions; null when none.")
