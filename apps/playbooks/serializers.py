from rest_framework import serializers

from .models import Playbook, PlaybookStatus

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
        fields = ["id", "name", "description", "category", "triggers", "must_consult", "status", "use_count",
                  "last_used", "content_preview"]

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


# --- GET /api/playbooks, /api/playbooks/{id}, /api/playbooks/match ------------------------------
# Query strings are validated by serializers too, so a bad value is a 400 that names the parameter.

class PlaybookListQuerySerializer(serializers.Serializer):
    category = serializers.CharField(required=False, help_text="Exact category, e.g. communication")
    must_consult = serializers.BooleanField(required=False, allow_null=True, default=None,
                                            help_text="true: only must-consult playbooks; false: only the others")
    status = serializers.ChoiceField(choices=PlaybookStatus.choices, default=PlaybookStatus.ACTIVE,
                                     help_text="Default active")


class PlaybookServeQuerySerializer(serializers.Serializer):
    task_id = serializers.UUIDField(
        required=False, allow_null=True, default=None,
        help_text="The task this playbook is consulted for: recorded, so completing that task raises no "
                  "must-consult warning for it.",
    )


class PlaybookMatchQuerySerializer(serializers.Serializer):
    task_description = serializers.CharField(help_text="The task's title and description")


class PlaybookMatchedSerializer(serializers.Serializer):
    playbook = PlaybookSummarySerializer()
    match_reason = serializers.CharField(help_text="trigger: '<phrase>' or description similarity: <shared terms>")
    relevance_score = serializers.FloatField(help_text="1.0 for a trigger phrase; otherwise the share of the "
                                                       "task's terms the playbook contains (above 0.5)")


class PlaybookMustConsultSerializer(serializers.Serializer):
    playbook = PlaybookSummarySerializer()
    warning = serializers.CharField()


class PlaybookMatchSerializer(serializers.Serializer):
    """The seed's response: {matched: [{playbook, match_reason, relevance_score}], must_consult: [{playbook, warning}]}."""

    matched = PlaybookMatchedSerializer(many=True)
    must_consult = PlaybookMustConsultSerializer(many=True)
