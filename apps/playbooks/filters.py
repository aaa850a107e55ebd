"""Query parameters of GET /api/playbooks, which playbook_list validates. A query serializer, not a
FilterSet: as a FilterSet, `must_consult=maybe` would be ignored instead of a 400, `status` would lose
its default (active), and the OpenAPI parameters would change (nullable, default, enum order)."""

from rest_framework import serializers

from .models import PlaybookStatus


class PlaybookListQuerySerializer(serializers.Serializer):
    category = serializers.CharField(required=False, help_text="Exact category, e.g. communication")
    must_consult = serializers.BooleanField(required=False, allow_null=True, default=None,
                                            help_text="true: only must-consult playbooks; false: only the others")
    status = serializers.ChoiceField(choices=PlaybookStatus.choices, default=PlaybookStatus.ACTIVE,
                                     help_text="Default active")
