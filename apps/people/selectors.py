"""Reads for clients and people."""

from django.db.models import QuerySet

from .models import Client, Person


def person_queryset(*, user) -> QuerySet[Person]:
    return Person.objects.filter(user=user).select_related("client").defer("search_vector", "client__search_vector")


def person_get(*, user, person_id) -> Person:
    return person_queryset(user=user).get(pk=person_id)


def client_queryset(*, user) -> QuerySet[Client]:
    return Client.objects.filter(user=user).defer("search_vector")


def client_get(*, user, client_id) -> Client:
    return client_queryset(user=user).get(pk=client_id)
