"""Clients (accounts) and the people David works with, with the relationship context drafts need."""


from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from apps.core.fields import UserForeignKey
from apps.core.models import TimestampedModel, choices_check


class ClientStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    CHURNED = "churned", "Churned"
    ARCHIVED = "archived", "Archived"


class Relationship(models.TextChoices):
    COLLEAGUE = "colleague", "Colleague"
    CLIENT = "client", "Client"
    PROSPECT = "prospect", "Prospect"
    PARTNER = "partner", "Partner"
    FRIEND = "friend", "Friend"


class Client(TimestampedModel):
    Status = ClientStatus

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+")
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=50, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config="english")
        + SearchVector("notes", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["name"]
        indexes = [GinIndex(fields=["search_vector"], name="idx_clients_search")]
        constraints = [
            choices_check("client_status_valid", "status", ClientStatus),
        ]

    def __str__(self) -> str:
        return self.name


class Person(TimestampedModel):
    Relationship = Relationship

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+", db_index=False)
    client = models.ForeignKey(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="people", db_index=False
    )
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=255, null=True, blank=True)
    phone = models.CharField(max_length=50, null=True, blank=True)
    title = models.CharField(max_length=255, null=True, blank=True)
    company = models.CharField(max_length=255, null=True, blank=True)
    relationship = models.CharField(max_length=100, choices=Relationship.choices, null=True, blank=True)
    relationship_to_user = models.TextField(null=True, blank=True, help_text="e.g. 'Reports to me', 'Peer at client'")
    political_context = models.TextField(null=True, blank=True, help_text="e.g. 'Close to CEO'")
    communication_notes = models.TextField(null=True, blank=True, help_text="How to communicate with this person")
    last_contact = models.DateTimeField(null=True, blank=True)
    next_follow_up = models.DateTimeField(null=True, blank=True)
    context_notes = models.TextField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # The seed indexes name + context_notes; title, company and the relationship notes are
    # added with lower weights so a search for "Liberty" or "budget owner" finds the person.
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config="english")
        + SearchVector("company", "title", weight="B", config="english")
        + SearchVector("context_notes", "relationship_to_user", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["client"], name="idx_people_client"),
            models.Index(fields=["user"], name="idx_people_user"),
            GinIndex(fields=["search_vector"], name="idx_people_search"),
        ]
        constraints = [
            choices_check("person_relationship_valid", "relationship", Relationship, null=True),
        ]

    def __str__(self) -> str:
        return self.name
