"""API shapes of recurring tasks and waiting items. Input serializers only validate; apps.tasks.recurring
and apps.tasks.waiting do the work."""

from rest_framework import serializers

from .models import Assignee, Frequency, RecurringTask, WaitingItem, WaitingStatus
from .recurring import TEMPLATE_FIELDS
from .serializers import TaskSerializer


class TaskTemplateSerializer(serializers.Serializer):
    """The Task fields each occurrence gets (title and description come from the template itself)."""

    priority = serializers.IntegerField(min_value=1, max_value=5, required=False)
    assignee = serializers.ChoiceField(choices=Assignee.choices, required=False)
    project_id = serializers.UUIDField(allow_null=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    context = serializers.DictField(required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(TEMPLATE_FIELDS))):
            raise serializers.ValidationError({key: [f"Not a task_template field; use {', '.join(TEMPLATE_FIELDS)}."]
                                               for key in unknown})
        return super().to_internal_value(data)

    def to_representation(self, instance):
        return {k: v for k, v in super().to_representation(instance).items() if k in instance}


class RecurringTaskSerializer(serializers.ModelSerializer):
    task_template = TaskTemplateSerializer()

    class Meta:
        model = RecurringTask
        fields = ["id", "title", "description", "task_template", "frequency", "cron_expression", "next_run", "last_run",
                  "active", "created_at"]


class RecurringWriteSerializer(serializers.Serializer):
    """POST /api/recurring and PUT/PATCH /api/recurring/{id} (any subset on update)."""

    title = serializers.CharField(max_length=500)
    description = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    task_template = TaskTemplateSerializer(required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    cron_expression = serializers.CharField(max_length=100, allow_blank=True, allow_null=True, required=False,
                                            help_text="With frequency custom: minute hour day-of-month month "
                                                      "day-of-week, in the owner's time zone (e.g. '0 9 * * 1-5').")
    next_run = serializers.DateTimeField(required=False,
                                         help_text="The first run. Required for daily, weekly and monthly: the series "
                                                   "keeps its local time (and weekday / day of month) in the owner's "
                                                   "time zone, across DST changes.")
    active = serializers.BooleanField(required=False)


class RecurringListQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)


class RecurringRunSerializer(serializers.Serializer):
    scheduled_for = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="The next_run you saw in /api/recurring/due. If that occurrence already has its task (the beat "
                  "or another agent ran it) you get that task back with created false.")


class RecurringRunResultSerializer(serializers.Serializer):
    recurring = RecurringTaskSerializer()
    task = TaskSerializer()
    created = serializers.BooleanField(help_text="false: the occurrence already had its task")
    scheduled_for = serializers.DateTimeField()


class WaitingItemSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = WaitingItem
        fields = ["id", "what", "who", "person_id", "task_id", "since", "follow_up_date", "why_it_matters", "status",
                  "resolved_at", "resolution_notes", "overdue", "created_at"]

    def get_overdue(self, item) -> bool:
        """Still waiting and past the follow-up date."""
        return item.is_overdue()


class WaitingWriteSerializer(serializers.Serializer):
    """POST /api/waiting and PUT/PATCH /api/waiting/{id} (any subset on update)."""

    what = serializers.CharField()
    who = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False)
    person_id = serializers.UUIDField(allow_null=True, required=False)
    task_id = serializers.UUIDField(allow_null=True, required=False)
    since = serializers.DateTimeField(required=False)
    follow_up_date = serializers.DateTimeField(allow_null=True, required=False)
    why_it_matters = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    status = serializers.ChoiceField(choices=WaitingStatus.choices, required=False,
                                     help_text="waiting or abandoned; resolve with PUT /api/waiting/{id}/resolve")


class WaitingListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=WaitingStatus.choices, required=False)
    person_id = serializers.UUIDField(required=False)
    task_id = serializers.UUIDField(required=False)


class WaitingResolveSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, allow_null=True, required=False, default=None,
                                  help_text="What came back: kept as resolution_notes.")
