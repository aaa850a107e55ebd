"""Reads for clients and people."""

from django.db.models import QuerySet

from apps.core.filters import filterset_apply

from .filters import ClientFilter, PersonFilter
from .models import Client, Person


def person_queryset(*, user) -> QuerySet[Person]:
    return Person.objects.filter(user=user).select_related("client").defer("search_vector", "client__search_vector")


def person_get(*, user, person_id) -> Person:
    return person_queryset(user=user).get(pk=person_id)


def person_list(*, user, filters: dict) -> QuerySet[Person]:
    """People of `user` narrowed by the query parameters of apps.people.filters.PersonFilter (client_id,
    relationship, follow_up_before, search; ordering; by name unless told); a bad value is a 400 naming
    the parameter."""
    return filterset_apply(PersonFilter, filters, person_queryset(user=user))


def client_queryset(*, user) -> QuerySet[Client]:
    return Client.objects.filter(user=user).defer("search_vector")


def client_get(*, user, client_id) -> Client:
    return client_queryset(user=user).get(pk=client_id)


def client_list(*, user, filters: dict) -> QuerySet[Client]:
    """Clients of `user` narrowed by the query parameters of apps.people.filters.ClientFilter (status,
    name, search; ordering; by name unless told); a bad value is a 400 naming the parameter."""
    return filterset_apply(ClientFilter, filters, client_queryset(user=user))
