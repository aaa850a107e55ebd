from django.urls import path

from . import api

urlpatterns = [
    path("logs", api.LogListApi.as_view(), name="logs"),
]
