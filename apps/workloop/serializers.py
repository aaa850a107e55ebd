"""API shapes of Claude's work loop. Request serializers only validate; each response is serialized
from the result its selector or service returns (Work, Completion), by the one serializer the
OpenAPI schema documents for it."""

from rest_framework import serializers

from apps.activity.serializers import LogSerializer
from apps.context.serializers import ContextPersonSerializer, ProjectContextSerializer, TaskBriefSerializer
from apps.knowledge.models import KnowledgeCategory
from apps.playbooks.serializers import MatchedPlaybookSerializer, MustConsultWarningSerializer
from apps.questions.serializers import QuestionSerializer
from apps.tasks.api.serializers import TaskSerializer, TaskWriteSerializer

# --- requests -----------------------------------------------------------------------------------


class KnowledgeItemSerializer(serializers.Serializer):
    """A new learning {content, category}, or {knowledge_id, category?}: route that entry of the task
    (e.g. a trigger-phrase entry, which must be settled before completing), its category corrected."""

    knowledge_id = serializers.UUIDField(required=False, help_text="An entry of this task to route (settles it).")
    content = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=KnowledgeCategory.choices, required=False)

    def validate(self, attrs):
        if attrs.get("knowledge_id") and "content" in attrs:
            raise serializers.ValidationError({"content": ["Leave it out with knowledge_id: the entry keeps its words."]})
        if not attrs.get("knowledge_id"):
            missing = {name: ["This field is required."] for name in ("content", "category") if name not in attrs}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class FollowUpTaskSerializer(TaskWriteSerializer):
    pass


class TaskCompleteSerializer(serializers.Serializer):
    output = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    learnings_captured = serializers.BooleanField(
        allow_null=True, required=False, default=None,
        help_text="true: learnings already captured (POST /api/knowledge/capture); false: nothing to capture.")
    knowledge_captured = serializers.BooleanField(
        allow_null=True, required=False, default=None, write_only=True,
        help_text="The seed's name for learnings_captured; either may be sent (if both, they must agree).")
    knowledge = KnowledgeItemSerializer(many=True, required=False)
    follow_up_tasks = FollowUpTaskSerializer(many=True, required=False)

    def validate(self, attrs):
        alias = attrs.pop("knowledge_captured", None)
        learned = attrs.get("learnings_captured")
        if alias is not None and learned is not None and alias != learned:
            raise serializers.ValidationError({"knowledge_captured": [
                "Disagrees with learnings_captured (the same field under the seed's name): send one of them."]})
        if learned is None:
            attrs["learnings_captured"] = alias
        return attrs


class TaskBlockSerializer(serializers.Serializer):
    question_text = serializers.CharField()
    why_asking = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    what_claude_will_do = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    priority = serializers.IntegerField(min_value=1, max_value=5, default=3)


# --- the work payload: each serializes an apps.workloop.selectors.Work (or its WorkContext) ----------


class WorkContextSerializer(serializers.Serializer):
    """What surrounds the task, shaped as the seed shows it: its people with their role on it, its
    project with the project's recent tasks, related tasks, and the task's history."""

    people = ContextPersonSerializer(many=True)
    project = ProjectContextSerializer(allow_null=True)
    related_tasks = TaskBriefSerializer(many=True)
    history = LogSerializer(many=True)

    def to_representation(self, instance):
        # ContextPersonSerializer and ProjectContextSerializer read each person's role on the task
        # and the project's recent tasks from the serializer context (as the context endpoints do)
        self.context["roles"] = instance.roles
        self.context["recent_tasks"] = instance.recent_tasks
        return super().to_representation(instance)


class WorkPayloadSerializer(serializers.Serializer):
    """What Claude works from: {task, context, matched_playbooks, must_consult_warnings, reason}; task
    and context are null when there is no work, and `reason` says why when it is not just an empty
    queue ("paused": the owner paused Claude for the workspace)."""

    task = TaskSerializer(allow_null=True)
    context = WorkContextSerializer(allow_null=True)
    matched_playbooks = MatchedPlaybookSerializer(many=True)
    must_consult_warnings = MustConsultWarningSerializer(many=True)
    reason = serializers.ChoiceField(choices=["paused"], allow_null=True,
                                     help_text="paused: the owner paused Claude; wait and ask again later.")


class StartPayloadSerializer(serializers.Serializer):
    """The seed's {task, context, playbooks}, plus matched_playbooks and must_consult_warnings, so a
    started task reads as the work payload of GET /api/tasks/next does."""

    task = TaskSerializer()
    context = WorkContextSerializer()
    playbooks = MatchedPlaybookSerializer(many=True, source="matched_playbooks",
                                          help_text="The playbooks that match the task (the seed's name; the same "
                                                    "list as matched_playbooks).")
    matched_playbooks = MatchedPlaybookSerializer(many=True)
    must_consult_warnings = MustConsultWarningSerializer(many=True)


# --- completing and blocking ----------------------------------------------------------------------


class StoredKnowledgeField(serializers.DictField):
    """A learning the completion stored, as {id, content, category, status} (documented as a
    free-form object)."""

    def to_representation(self, value):
        return {"id": str(value.pk), "content": value.content, "category": value.category, "status": value.status}


# POST /api/tasks/{id}/complete: reads a Completion (apps.workloop.services)
class CompletionSerializer(serializers.Serializer):
    task = TaskSerializer()
    warnings = serializers.ListField(child=serializers.DictField())
    knowledge = serializers.ListField(child=StoredKnowledgeField())
    follow_up_tasks = TaskSerializer(many=True)


class TaskBlockResponseSerializer(serializers.Serializer):
    """POST /api/tasks/{id}/block: the task, now blocked, and the question it waits on."""

    task = TaskSerializer()
    question = QuestionSerializer()


# --- the owner's brake ------------------------------------------------------------------------

class PauseSerializer(serializers.Serializer):
    paused = serializers.BooleanField(help_text="true pauses Claude for the workspace; false resumes it.")
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=1000,
                                 help_text="Why, for the record (and for Claude, in the 409 on start).")


class PauseStateSerializer(serializers.Serializer):
    paused = serializers.BooleanField(source="claude_paused")
    paused_at = serializers.DateTimeField(source="claude_paused_at", allow_null=True)
    note = serializers.CharField(source="claude_paused_note", allow_null=True)


class TaskStopSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="Why: Claude's next call on the task answers 409 stopped_by_owner with it.")

