from rest_framework import serializers

from .models import Playbook, PlaybookStatus
from .rendering import playbook_content_html

PREVIEW_CHARS = 280


class PlaybookSerializer(serializers.ModelSerializer):
    content_html = serializers.SerializerMethodField(
        help_text="`content` rendered as sanitized HTML (headings, lists, emphasis, code, tables, http/https/mailto "
                  "links); safe to display as is.")

    class Meta:
        model = Playbook
        fields = ["id", "name", "description", "category", "triggers", "must_consult", "content", "content_html",
                  "scripts", "references", "examples", "learned_from", "source_task_id", "last_used", "use_count",
                  "status", "rejected_reason", "created_at", "updated_at"]

    def get_content_html(self, playbook) -> str:
        return playbook_content_html(playbook.content)


class PlaybookSummarySerializer(serializers.ModelSerializer):
    content_preview = serializers.SerializerMethodField()

    class Meta:
        model = Playbook
        fields = ["id", "name", "description", "category", "triggers", "must_consult", "status", "use_count",
                  "last_used", "content_preview"]

    def get_content_preview(self, playbook) -> str:
        text = playbook.content.strip()
        return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"


class PlaybookMatchFields(serializers.Serializer):
    """The fields every "this playbook applies, and why" entry shows, flat as Claude reads them
    (a base: never a response of its own)."""

    id = serializers.UUIDField(source="playbook.id")
    name = serializers.CharField(source="playbook.name")
    category = serializers.CharField(source="playbook.category", allow_null=True)
    match_reason = serializers.CharField()
    relevance_score = serializers.FloatField()
    must_consult = serializers.BooleanField(source="playbook.must_consult")


class MatchedPlaybookSerializer(PlaybookMatchFields):
    """One entry of a task's matched_playbooks, flat as Claude reads it."""

    content_preview = serializers.SerializerMethodField()

    def get_content_preview(self, match) -> str:
        return PlaybookSummarySerializer().get_content_preview(match.playbook)


class MustConsultWarningSerializer(serializers.Serializer):
    playbook_id = serializers.UUIDField(source="playbook.id")
    playbook_name = serializers.CharField(source="playbook.name")
    warning = serializers.CharField()


# --- GET /api/playbooks/{id}, /api/playbooks/match (the list's are apps.playbooks.filters) ------
# Query strings are validated by serializers too, so a bad value is a 400 that names the parameter.

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


# --- POST /api/playbooks, PUT|PATCH /api/playbooks/{id}, POST /api/playbooks/propose ------------

STATUS_MOVES = ("Status is not set here: a proposal becomes active with PUT /api/playbooks/{id}/approve or "
                "rejected with PUT /api/playbooks/{id}/reject; an active playbook is retired with "
                "PUT /api/playbooks/{id}/archive.")


class PlaybookWriteSerializer(serializers.Serializer):
    """A playbook's editable fields. On update (PUT or PATCH) any subset; the others stay."""

    name = serializers.CharField(max_length=255, help_text="Short and unambiguous, e.g. email-drafting-guide")
    description = serializers.CharField(help_text="What it covers; used for matching")
    content = serializers.CharField(trim_whitespace=False, help_text="The playbook itself, in markdown")
    category = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True,
                                     help_text="scheduling, communication, sales, technical, rules, or your own")
    triggers = serializers.ListField(child=serializers.CharField(max_length=500), required=False,
                                     help_text="Phrases that match it to a task (whole phrase, any case)")
    must_consult = serializers.BooleanField(required=False,
                                            help_text="Claude must read it before any work of its category")
    scripts = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                                    required=False, help_text="{filename: content}")
    references = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                                       required=False, help_text="{filename: content}")
    examples = serializers.ListField(child=serializers.JSONField(), required=False,
                                     help_text="Example scenarios")
    learned_from = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                         help_text='Where it comes from, e.g. "David taught this on 2026-01-21"')
    source_task_id = serializers.UUIDField(required=False, allow_null=True,
                                           help_text="The task it was learned from (this workspace's)")

    status_writable = False

    def to_internal_value(self, data):
        if not self.status_writable and isinstance(data, dict) and "status" in data:
            raise serializers.ValidationError({"status": [STATUS_MOVES]})
        return super().to_internal_value(data)

    def validate_content(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("This field may not be blank.")
        return value

    def validate_category(self, value):
        return value or None


class PlaybookCreateSerializer(PlaybookWriteSerializer):
    status = serializers.ChoiceField(
        choices=PlaybookStatus.choices, default=PlaybookStatus.ACTIVE,
        help_text="active (default: in force at once) or proposed (waits for the owner's approval, as "
                  "POST /api/playbooks/propose does)")

    status_writable = True

    def validate_status(self, value: str) -> str:
        if value not in (PlaybookStatus.ACTIVE, PlaybookStatus.PROPOSED):
            raise serializers.ValidationError("A new playbook is active or proposed. " + STATUS_MOVES)
        return value


class PlaybookProposeSerializer(PlaybookWriteSerializer):
    """The seed's body: {name, description, content, learned_from, source_task_id}; category, triggers
    and must_consult may be suggested too."""


class PlaybookProposalSerializer(serializers.Serializer):
    """The seed's response: { playbook (status=proposed) }."""

    playbook = PlaybookSerializer()


class PlaybookRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why it is rejected: kept with the proposal, for the record")


# --- GET /api/playbooks/{id}/export, POST /api/playbooks/import ---------------------------------

class PlaybookFileSerializer(serializers.Serializer):
    filename = serializers.CharField(help_text="<name as a slug>.md")
    content = serializers.CharField(
        help_text="The playbook file: YAML front matter between '---' lines (name, description, must_consult, "
                  "triggers, category, learned_from, and examples, scripts, references when set), a blank line, "
                  "then the markdown content. POST it to /api/playbooks/import as is.")


class PlaybookImportSerializer(serializers.Serializer):
    content = serializers.CharField(
        trim_whitespace=False,
        help_text="The .md file's text: YAML front matter (name and description required; must_consult, triggers, "
                  "category, learned_from, examples, scripts, references optional) between '---' lines, then the "
                  "markdown content.")


class PlaybookImportResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text="true: a new active playbook; false: the active or proposed "
                                                 "playbook of that name was updated to match the file")
    playbook = PlaybookSerializer()
