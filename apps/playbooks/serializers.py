from rest_framework import serializers

from .models import Playbook

PREVIEW_CHARS = 280


class PlaybookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Playbook
        fields = ["id", "name", "description", "category", "triggers", "must_consult", "content", "scripts",
                  "references", "examples", "learned_from", "source_task_id", "last_used", "use_count", "status",
                  "created_at", "updated_at"]


class PlaybookSummarySerializer(serializers.ModelSerializer):
    content_preview = serializers.SerializerMethodField()

    class Meta:
        model = Playbook
        fields = ["id", "name", "description", "category", "must_consult", "status", "content_preview"]

    def get_content_preview(self, playbook) -> str:
        text = playbook.content.strip()
        return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"


class MatchedPlaybookSerializer(serializers.Serializer):
    """One entry of a task's matched_playbooks, flat as Claude reads it."""

    id = serializers.UUIDField(source="playbook.id")
    name = serializers.CharField(source="playbook.name")
    category = serializers.CharField(source="playbook.category", allow_null=True)
    match_reason = serializers.CharField()
    relevance_score = serializers.FloatField()
    must_consult = serializers.BooleanField(source="playbook.must_consult")
    content_preview = serializers.SerializerMethodField()

    def get_content_preview(self, match) -> str:
        return PlaybookSummarySerializer().get_content_preview(match.playbook)


class MustConsultWarningSerializer(serializers.Serializer):
    playbook_id = serializers.UUIDField(source="playbook.id")
    playbook_name = serializers.CharField(source="playbook.name")
    warning = serializers.CharField()
