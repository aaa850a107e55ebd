from rest_framework import serializers

from .models import Log


class LogSerializer(serializers.ModelSerializer):
    class Meta:
        model = Log
        fields = ["id", "timestamp", "actor", "action", "entity_type", "entity_id", "details", "session_id"]
