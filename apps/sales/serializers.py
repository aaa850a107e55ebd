"""API shapes of sales opportunities. Input serializers only validate; the services do the work."""

from decimal import Decimal

from rest_framework import serializers

from apps.people.serializers import ClientBriefSerializer

from .models import CLOSED_STAGES, SalesOpportunity, Stage
from .services import stages_allowed_next

OPEN_STAGES = [(value, label) for value, label in Stage.choices if value not in CLOSED_STAGES]


class OpportunitySerializer(serializers.ModelSerializer):
    client = ClientBriefSerializer(read_only=True)
    weighted_value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True,
                                              help_text="value × probability / 100 (null when either is unset)")
    allowed_next_stages = serializers.SerializerMethodField()

    class Meta:
        model = SalesOpportunity
        fields = ["id", "name", "description", "client", "stage", "value", "probability", "weighted_value",
                  "expected_close_date", "last_activity", "next_action", "next_action_date", "notes", "closed_at",
                  "allowed_next_stages", "created_at", "updated_at"]

    def get_allowed_next_stages(self, opportunity) -> list[str]:
        """Where PUT /api/sales/{id}/advance may move it (empty once closed)."""
        return stages_allowed_next(opportunity.stage)


class OpportunityBriefSerializer(serializers.ModelSerializer):
    """A deal as an account's context shows it (GET /api/context/client/{id}); the full one is at /api/sales/{id}."""

    class Meta:
        model = SalesOpportunity
        fields = ["id", "name", "stage", "value", "probability", "expected_close_date", "next_action", "next_action_date",
                  "last_activity", "closed_at"]


class OpportunityWriteSerializer(serializers.Serializer):
    """POST /api/sales and PUT/PATCH /api/sales/{id} (any subset on update). The stage is set on creation
    only (an open one); afterwards it moves with PUT /api/sales/{id}/advance."""

    name = serializers.CharField(max_length=255)
    description = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    client_id = serializers.UUIDField(allow_null=True, required=False)
    stage = serializers.ChoiceField(choices=OPEN_STAGES, required=False, help_text="On creation only; default lead.")
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0), allow_null=True,
                                     required=False)
    probability = serializers.IntegerField(min_value=0, max_value=100, allow_null=True, required=False,
                                           help_text="0 to 100 (%)")
    expected_close_date = serializers.DateField(allow_null=True, required=False)
    last_activity = serializers.DateTimeField(allow_null=True, required=False)
    next_action = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    next_action_date = serializers.DateField(allow_null=True, required=False)
    notes = serializers.CharField(allow_blank=True, allow_null=True, required=False)

    def validate(self, attrs):
        if self.partial and "stage" in self.initial_data:
            raise serializers.ValidationError({"stage": [
                "The stage is not set directly: move it with PUT /api/sales/{id}/advance."]})
        return attrs


class OpportunityAdvanceSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_null=True, default=None,
                                    help_text="The target stage; default the one next stage. Required from negotiation "
                                              "(closed_won or closed_lost); closed_lost is allowed from any open stage.")
    reason = serializers.CharField(allow_blank=True, allow_null=True, required=False, default=None,
                                   help_text="Why (kept in the notes when it closes the deal, and in the log).")


class PipelineStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    count = serializers.IntegerField()
    total_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    weighted_value = serializers.DecimalField(max_digits=16, decimal_places=2,
                                              help_text="sum of value × probability / 100")


class PipelineTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    weighted_value = serializers.DecimalField(max_digits=16, decimal_places=2)


class PipelineSerializer(serializers.Serializer):
    stages = PipelineStageSerializer(many=True, help_text="Every stage in pipeline order, empty ones included.")
    open = PipelineTotalsSerializer(help_text="lead to negotiation together")
