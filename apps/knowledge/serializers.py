"""API shapes of knowledge (seed: "Knowledge Capture"). Input serializers only validate; the
services do the work."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Knowledge, KnowledgeCategory, RoutedToType


class RoutedToSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="One of: " + ", ".join(RoutedToType.values))
    id = serializers.UUIDField(allow_null=True)
    field_updated = serializers.CharField(help_text="e.g. communication_notes, notes, description, content, status "
                                                    "(a proposed playbook), learned.<key> or learned_notes (settings)")


class CandidateSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="person, client or project")
    id = serializers.UUIDField()
    name = serializers.CharField()
    matched = serializers.CharField(help_text="the name, email or first name found in the content")


class KnowledgeSerializer(serializers.ModelSerializer):
    source_task_id = serializers.UUIDField(allow_null=True, read_only=True)
    source_question_id = serializers.UUIDField(allow_null=True, read_only=True)
    routed_to = serializers.SerializerMethodField()
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Knowledge
        fields = ["id", "content", "category", "status", "source_type", "source_task_id", "source_question_id",
                  "trigger_phrase", "routed_to", "candidates", "review_note", "dismissed_reason", "learned_at",
                  "created_at"]

    @extend_schema_field(RoutedToSerializer(allow_null=True))
    def get_routed_to(self, knowledge) -> dict | None:
        if not knowledge.routed_to_type:
            return None
        return {"type": knowledge.routed_to_type, "id": str(knowledge.routed_to_id) if knowledge.routed_to_id else None,
                "field_updated": knowledge.routed_field}


class CaptureResultSerializer(serializers.Serializer):
    """The seed's response: {knowledge, routed_to: {type, id, field_updated}, action_taken}."""

    knowledge = KnowledgeSerializer()
    routed_to = RoutedToSerializer(allow_null=True, help_text="null when the entry waits for review")
    action_taken = serializers.CharField()


def capture_result(capture) -> dict:
    return {"knowledge": KnowledgeSerializer(capture.knowledge).data, "routed_to": capture.routed_to,
            "action_taken": capture.action_taken}


class KnowledgeCaptureSerializer(serializers.Serializer):
    content = serializers.CharField(help_text="What was learned, e.g. 'Patrick prefers brief, direct emails'")
    category = serializers.ChoiceField(choices=KnowledgeCategory.choices)
    source_task_id = serializers.UUIDField(required=False, allow_null=True, default=None,
                                           help_text="The task that taught it")
    trigger_phrase = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=255,
                                           default=None,
                                           help_text="If detected from a trigger phrase. This capture is routed at once; "
                                                     "it does not settle an entry the owner's words already created "
                                                     "(route or dismiss that one by its id).")
    target_type = serializers.ChoiceField(
        choices=RoutedToType.choices, required=False, allow_null=True, default=None,
        help_text="Route to this entity instead of finding it from the names in the content. person, client, "
                  "project: with target_id. playbook: with target_id to append to it, without for a new proposed "
                  "playbook (category playbook) or the Rules playbook (category rule). user_settings: no target_id.")
    target_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class KnowledgeRouteSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(
        choices=RoutedToType.choices, required=False, allow_null=True, default=None,
        help_text="Where it goes (the entry's category follows). Without it, it is routed by category as a "
                  "capture would be.")
    target_id = serializers.UUIDField(required=False, allow_null=True, default=None,
                                      help_text="Required for person, client and project")
    category = serializers.ChoiceField(choices=KnowledgeCategory.choices, required=False, allow_null=True,
                                       default=None, help_text="Correct the category first")


class KnowledgeDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why it is not worth keeping, e.g. 'Already known'")


class TriggerPhrasesSerializer(serializers.Serializer):
    phrases = serializers.ListField(child=serializers.CharField(),
                                    help_text="Every phrase detected: the seed's and the owner's own")
    builtin = serializers.ListField(child=serializers.CharField())
    custom = serializers.ListField(child=serializers.CharField())


class TriggerAddSerializer(serializers.Serializer):
    phrase = serializers.CharField(max_length=100, help_text="e.g. 'note to self'")
