from rest_framework import serializers

from .models import Client, Person


class ClientBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name", "status"]


class PersonContextSerializer(serializers.ModelSerializer):
    """A person as drafting needs them: who they are to the owner and how to talk to them."""

    client = ClientBriefSerializer(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "email", "title", "company", "client", "relationship", "relationship_to_user",
                  "political_context", "communication_notes", "context_notes", "last_contact", "next_follow_up"]
