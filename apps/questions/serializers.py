from rest_framework import serializers

from .models import PriorityReason, Question


class QuestionSerializer(serializers.ModelSerializer):
    task_ids = serializers.SerializerMethodField()
    blocking_count = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "text", "context", "why_asking", "what_claude_will_do", "priority", "priority_reason",
                  "status", "answer", "answered_at", "answered_by", "dismissed_reason", "task_ids", "blocking_count",
                  "created_at"]

    def get_task_ids(self, question) -> list[str]:
        if hasattr(question, "linked_task_ids"):
            return [str(pk) for pk in question.linked_task_ids]
        return [str(pk) for pk in question.question_unblocks.values_list("task_id", flat=True)]

    def get_blocking_count(self, question) -> int:
        if hasattr(question, "blocking_count"):
            return question.blocking_count
        return question.blocked_tasks.filter(status="blocked").count()


class QuestionCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    context = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    why_asking = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    what_claude_will_do = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    priority = serializers.IntegerField(min_value=1, max_value=5, default=3)
    priority_reason = serializers.ChoiceField(choices=PriorityReason.choices, allow_null=True, required=False)
    task_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)


class QuestionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
    answered_by = serializers.ChoiceField(
        choices=["user"], default="user", required=False,
        help_text="Always user: only the owner answers, and answered_by records who did (taken from the caller).")


class QuestionDismissSerializer(serializers.Serializer):
    reason = serializers.CharField()
