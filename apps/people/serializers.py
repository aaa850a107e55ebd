"""API shapes of clients and people. Input serializers only validate; the services do the work."""

from rest_framework import serializers

from .models import Client, ClientStatus, Person, Relationship


class ClientBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name", "status"]


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name", "status", "notes", "metadata", "created_at", "updated_at"]


class ClientWriteSerializer(serializers.Serializer):
    """POST /api/clients, PUT/PATCH /api/clients/{id} (any subset of fields on update)."""

    name = serializers.CharField(max_length=255)
    status = serializers.ChoiceField(choices=ClientStatus.choices, required=False)
    notes = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    metadata = serializers.DictField(required=False)


class PersonContextSerializer(serializers.ModelSerializer):
    """A person as drafting needs them: who they are to the owner and how to talk to them."""

    client = ClientBriefSerializer(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "email", "title", "company", "client", "relationship", "relationship_to_user",
                  "political_context", "communication_notes", "context_notes", "last_contact", "next_follow_up"]


class PersonSerializer(PersonContextSerializer):
    """A person with every field."""

    class Meta(PersonContextSerializer.Meta):
        fields = ["id", "name", "email", "phone", "title", "company", "client", "relationship", "relationship_to_user",
                  "political_context", "communication_notes", "context_notes", "last_contact", "next_follow_up",
                  "metadata", "created_at", "updated_at"]


class PersonWriteSerializer(serializers.Serializer):
    """POST /api/people, PUT/PATCH /api/people/{id} (any subset of fields on update)."""

    name = serializers.CharField(max_length=255)
    email = serializers.EmailField(max_length=255, allow_blank=True, allow_null=True, required=False)
    phone = serializers.CharField(max_length=50, allow_blank=True, allow_null=True, required=False)
    title = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False)
    company = serializers.CharField(max_length=255, allow_blank=True, allow_null=True, required=False)
    client_id = serializers.UUIDField(allow_null=True, required=False, help_text="A client of this workspace.")
    relationship = serializers.ChoiceField(choices=Relationship.choices, allow_null=True, required=False)
    relationship_to_user = serializers.CharField(allow_blank=True, allow_null=True, required=False,
                                                 help_text="e.g. 'Reports to me', 'Peer at client'")
    political_context = serializers.CharField(allow_blank=True, allow_null=True, required=False,
                                              help_text="e.g. 'Close to CEO'")
    communication_notes = serializers.CharField(allow_blank=True, allow_null=True, required=False,
                                                help_text="How to communicate with this person")
    context_notes = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    last_contact = serializers.DateTimeField(allow_null=True, required=False)
    next_follow_up = serializers.DateTimeField(allow_null=True, required=False)
    metadata = serializers.DictField(required=False)
