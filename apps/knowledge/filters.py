"""Query parameters of GET /api/knowledge, which knowledge_list validates. A query serializer, not a
FilterSet: as a FilterSet the 400 messages ('"x" is not a valid choice.', "Must be a valid UUID.") and
the OpenAPI parameters (enum order, minLength) would change."""

from rest_framework import serializers

from .models import KnowledgeCategory, KnowledgeStatus


class KnowledgeListQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=KnowledgeCategory.choices, required=False)
    status = serializers.ChoiceField(choices=KnowledgeStatus.choices, required=False)
    source_task_id = serializers.UUIDField(required=False)
