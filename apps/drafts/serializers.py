"""API shapes of drafts. Input serializers only validate; the services do the work."""

from rest_framework import serializers

from .models import Draft, DraftType


class DraftSerializer(serializers.ModelSerializer):
    task_id = serializers.UUIDField(read_only=True, allow_null=True)
    person_id = serializers.CharField(source="snapshot_person_id", read_only=True, allow_null=True,
                                      help_text="The recipient person, when the lookup found one.")

    class Meta:
        model = Draft
        fields = ["id", "type", "status", "recipient", "subject", "body", "task_id", "person_id", "revision_of",
                  "feedback", "relationship_context", "created_at", "updated_at", "approved_at", "sent_at"]


class DraftVersionSerializer(serializers.ModelSerializer):
    """One version in a revision chain."""

    class Meta:
        model = Draft
        fields = ["id", "status", "recipient", "subject", "body", "feedback", "revision_of", "created_at",
                  "approved_at"]


class DraftDetailSerializer(DraftSerializer):
    """A draft with its whole revision chain, oldest first (this draft included)."""

    revision_chain = serializers.SerializerMethodField()

    class Meta(DraftSerializer.Meta):
        fields = [*DraftSerializer.Meta.fields, "revision_chain"]

    def get_revision_chain(self, draft) -> list[dict]:
        return DraftVersionSerializer(self.context["chain"], many=True).data


class DraftCreateSerializer(serializers.Serializer):
    """POST /api/drafts. The relationship context is not sent: it is looked up and snapshotted.
    Give person_id when you know who the recipient is; otherwise the recipient text (an email
    address or a full name) or the task's recipient is used to find them."""

    type = serializers.ChoiceField(choices=DraftType.choices)
    recipient = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False)
    subject = serializers.CharField(max_length=500, allow_blank=True, allow_null=True, required=False)
    body = serializers.CharField()
    task_id = serializers.UUIDField(allow_null=True, required=False)
    person_id = serializers.UUIDField(allow_null=True, required=False)


class DraftUpdateSerializer(serializers.Serializer):
    """PUT/PATCH /api/drafts/{id}: any subset; only a pending draft is edited in place. Changing the
    person, the recipient or the task looks the recipient up again, and a different person means a
    fresh relationship_context snapshot."""

    type = serializers.ChoiceField(choices=DraftType.choices, required=False)
    recipient = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False)
    subject = serializers.CharField(max_length=500, allow_blank=True, allow_null=True, required=False)
    body = serializers.CharField(required=False)
    task_id = serializers.UUIDField(allow_null=True, required=False)
    person_id = serializers.UUIDField(allow_null=True, required=False,
                                      help_text="The recipient person; null: find them from the recipient text.")


class DraftRejectSerializer(serializers.Serializer):
    feedback = serializers.CharField(help_text="What is wrong with it; becomes a learning about the recipient.")


class DraftReviseSerializer(serializers.Serializer):
    body = serializers.CharField()
    subject = serializers.CharField(max_length=500, allow_blank=True, allow_null=True, required=False,
                                    help_text="Defaults to the original's.")
    recipient = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False,
                                      help_text="Defaults to the original's.")


class DraftWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="must_consult_skipped, recipient_unknown or recipient_ambiguous")
    warning = serializers.CharField()
    playbook_id = serializers.UUIDField(required=False)
    playbook_name = serializers.CharField(required=False)


class DraftCreateResultSerializer(serializers.Serializer):
    draft = DraftSerializer()
    warnings = DraftWarningSerializer(many=True)


class DraftUpdateResultSerializer(serializers.Serializer):
    draft = DraftSerializer()
    warnings = DraftWarningSerializer(many=True, help_text="As on creation, when the recipient or the task changed.")


class DraftSendActionSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="Always 'manual': the owner sends it.")
    sent_by_expertly = serializers.BooleanField(help_text="Always false.")
    channel = serializers.ChoiceField(choices=DraftType.choices)
    to = serializers.CharField(allow_null=True)
    subject = serializers.CharField(allow_null=True)
    body = serializers.CharField()
    instruction = serializers.CharField()
    mailto = serializers.CharField(required=False, help_text="Email drafts: opens the owner's mail client.")


class DraftApproveResultSerializer(serializers.Serializer):
    draft = DraftSerializer()
    send_action = DraftSendActionSerializer()


class DraftLearningSerializer(serializers.Serializer):
    """The learning a rejection captured (a knowledge Capture)."""

    id = serializers.UUIDField(source="knowledge.pk")
    content = serializers.CharField(source="knowledge.content")
    category = serializers.CharField(source="knowledge.category")
    status = serializers.CharField(source="knowledge.status",
                                   help_text="routed, pending_review (the knowledge service did not guess) or captured")
    routed_to = serializers.DictField(allow_null=True, help_text="{type, id, field_updated} when routed")
    action_taken = serializers.CharField()


class DraftRejectResultSerializer(serializers.Serializer):
    draft = DraftSerializer()
    knowledge = DraftLearningSerializer()


class DraftReviseResultSerializer(serializers.Serializer):
    new_draft = DraftSerializer()
    original = DraftSerializer()
    warnings = DraftWarningSerializer(many=True)
