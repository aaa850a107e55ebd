"""People and clients (seed: "PEOPLE & CLIENTS"). Thin: validate, call one service or selector,
serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors

from . import selectors, services
from .filters import ClientFilter, PersonFilter
from .models import Client, Person
from .serializers import ClientSerializer, ClientWriteSerializer, PersonSerializer, PersonWriteSerializer

DELETE_DONE = {204: None}


# --- people -----------------------------------------------------------------------------------


class PersonListCreateApi(GenericAPIView):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter  # for the schema; selectors.person_list runs it
    queryset = Person.objects.none()

    @extend_schema(
        summary="List people (filters: client_id, relationship, search, follow_up_before; ordering)",
        responses={200: PersonSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request):
        people = self.paginate_queryset(selectors.person_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(PersonSerializer(people, many=True).data)

    @extend_schema(
        summary="Create a person", request=PersonWriteSerializer, responses={201: PersonSerializer, **errors(400, 401)}
    )
    def post(self, request):
        fields = validated(PersonWriteSerializer, request.data)
        person = services.person_create(by=request_attribution(request), **fields)
        return Response(
            PersonSerializer(selectors.person_get(user=request.user, person_id=person.pk)).data, status=status.HTTP_201_CREATED
        )


class PersonDetailApi(APIView):
    def _person(self, request, person_id) -> Person:
        return get_object_or_404(selectors.person_queryset(user=request.user), pk=person_id)

    @extend_schema(summary="Get a person", responses={200: PersonSerializer, **errors(401, 404)})
    def get(self, request, person_id):
        return Response(PersonSerializer(self._person(request, person_id)).data)

    @extend_schema(
        summary="Update a person (any subset of fields, e.g. what you learned about how to deal with them)",
        request=PersonWriteSerializer,
        responses={200: PersonSerializer, **errors(400, 401, 404)},
    )
    def put(self, request, person_id):
        person = self._person(request, person_id)
        fields = validated(PersonWriteSerializer, request.data, partial=True)
        services.person_update(person=person, by=request_attribution(request), **fields)
        return Response(PersonSerializer(self._person(request, person_id)).data)

    patch = put

    @extend_schema(
        summary="Delete a person (409 while they are on open tasks or we are waiting on them)",
        responses={**DELETE_DONE, **errors(401, 404, 409)},
    )
    def delete(self, request, person_id):
        services.person_delete(person=self._person(request, person_id), by=request_attribution(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- clients ----------------------------------------------------------------------------------


class ClientListCreateApi(GenericAPIView):
    serializer_class = ClientSerializer
    filterset_class = ClientFilter  # for the schema; selectors.client_list runs it
    queryset = Client.objects.none()

    @extend_schema(
        summary="List clients (filters: status, name, search; ordering)",
        responses={200: ClientSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request):
        clients = self.paginate_queryset(selectors.client_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(ClientSerializer(clients, many=True).data)

    @extend_schema(
        summary="Create a client", request=ClientWriteSerializer, responses={201: ClientSerializer, **errors(400, 401)}
    )
    def post(self, request):
        fields = validated(ClientWriteSerializer, request.data)
        client = services.client_create(by=request_attribution(request), **fields)
        return Response(
            ClientSerializer(selectors.client_get(user=request.user, client_id=client.pk)).data, status=status.HTTP_201_CREATED
        )


class ClientDetailApi(APIView):
    def _client(self, request, client_id) -> Client:
        return get_object_or_404(selectors.client_queryset(user=request.user), pk=client_id)

    @extend_schema(summary="Get a client", responses={200: ClientSerializer, **errors(401, 404)})
    def get(self, request, client_id):
        return Response(ClientSerializer(self._client(request, client_id)).data)

    @extend_schema(
        summary='Update a client (any subset of fields; archive with status "archived")',
        request=ClientWriteSerializer,
        responses={200: ClientSerializer, **errors(400, 401, 404)},
    )
    def put(self, request, client_id):
        client = self._client(request, client_id)
        fields = validated(ClientWriteSerializer, request.data, partial=True)
        services.client_update(client=client, by=request_attribution(request), **fields)
        return Response(ClientSerializer(self._client(request, client_id)).data)

    patch = put

    @extend_schema(
        summary="Delete a client (409 while it has people, projects or sales opportunities: archive it)",
        responses={**DELETE_DONE, **errors(401, 404, 409)},
    )
    def delete(self, request, client_id):
        services.client_delete(client=self._client(request, client_id), by=request_attribution(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
