"""Projects API: projects, initiatives and goals. Thin: validate, call one service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors

from ..filters import ProjectFilter
from ..models import Project
from ..selectors.projects import project_get, project_list, project_queryset
from ..services.projects import project_create, project_delete, project_update
from .serializers import ProjectSerializer, ProjectWriteSerializer


class ProjectListCreateApi(GenericAPIView):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter  # for the schema; project_list runs it
    queryset = Project.objects.none()

    @extend_schema(summary="List projects, initiatives and goals (filters: status, type, parent_id, top_level, "
                           "client_id, search; ordering)",
                   responses={200: ProjectSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(project_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(ProjectSerializer(page, many=True).data)

    @extend_schema(summary="Create a project, initiative or goal", request=ProjectWriteSerializer,
                   responses={201: ProjectSerializer, **errors(400, 401)})
    def post(self, request):
        fields = validated(ProjectWriteSerializer, request.data)
        project = project_create(by=request_attribution(request), **fields)
        return Response(ProjectSerializer(project_get(user=request.user, project_id=project.pk)).data,
                        status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    def _project(self, request, project_id) -> Project:
        return get_object_or_404(project_queryset(user=request.user), pk=project_id)

    @extend_schema(summary="Get a project", responses={200: ProjectSerializer, **errors(401, 404)})
    def get(self, request, project_id):
        return Response(ProjectSerializer(self._project(request, project_id)).data)

    @extend_schema(summary="Update a project (any subset of fields; archive with status \"archived\")",
                   request=ProjectWriteSerializer, responses={200: ProjectSerializer, **errors(400, 401, 404)})
    def put(self, request, project_id):
        project = self._project(request, project_id)
        fields = validated(ProjectWriteSerializer, request.data, partial=True)
        project_update(project=project, by=request_attribution(request), **fields)
        return Response(ProjectSerializer(self._project(request, project_id)).data)

    patch = put

    @extend_schema(summary="Delete a project (409 while it has tasks or child projects: archive it)",
                   responses={204: None, **errors(401, 404, 409)})
    def delete(self, request, project_id):
        project_delete(project=self._project(request, project_id), by=request_attribution(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
