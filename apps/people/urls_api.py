from django.urls import path

from . import api

urlpatterns = [
    path("people", api.PersonListCreateApi.as_view(), name="people"),
    path("people/<uuid:person_id>", api.PersonDetailApi.as_view(), name="person"),
    path("clients", api.ClientListCreateApi.as_view(), name="clients"),
    path("clients/<uuid:client_id>", api.ClientDetailApi.as_view(), name="client"),
]
