"""Questions for the owner (seed: "Questions")."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.activity.attribution import request_attribution
from apps.core.api import validated
from apps.core.api_docs import errors
from apps.core.selectors import references_get
from apps.tasks.api.serializers import TaskSerializer
from apps.tasks.models import Task

from . import selectors, services
from .filters import QuestionFilter
from .models import Question
from .serializers import QuestionAnswerSerializer, QuestionCreateSerializer, QuestionDismissSerializer, QuestionSerializer

AnswerResponse = inline_serializer("QuestionResolution", {
    "question": QuestionSerializer(), "unblocked_tasks": TaskSerializer(many=True)})


class QuestionListCreateApi(GenericAPIView):
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter  # for the schema; selectors.question_list runs it
    queryset = Question.objects.none()

    @extend_schema(summary="List questions (filters: status, priority)",
                   responses={200: QuestionSerializer(many=True), **errors(400, 401)})
    def get(self, request):
        page = self.paginate_queryset(selectors.question_list(user=request.user, filters=request.query_params.dict()))
        return self.get_paginated_response(QuestionSerializer(page, many=True).data)

    @extend_schema(summary="Ask a question (task_ids: the tasks that wait on the answer)",
                   request=QuestionCreateSerializer, responses={201: QuestionSerializer, **errors(400, 401, 409)})
    def post(self, request):
        data = validated(QuestionCreateSerializer, request.data)
        tasks = list(references_get(Task, user=request.user, field="task_ids", values=data.pop("task_ids")).values())
        question = services.question_create(by=request_attribution(request), tasks=tasks, **data)
        return Response(QuestionSerializer(selectors.question_get(user=request.user, question_id=question.pk)).data,
                        status=status.HTTP_201_CREATED)


class QuestionUnansweredApi(GenericAPIView):
    serializer_class = QuestionSerializer
    queryset = Question.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="Unanswered questions, most pressing first (priority, tasks blocked, age)",
                   responses={200: QuestionSerializer(many=True), **errors(401)})
    def get(self, request):
        page = self.paginate_queryset(selectors.question_unanswered(user=request.user))
        return self.get_paginated_response(QuestionSerializer(page, many=True).data)


class QuestionDetailApi(APIView):
    @extend_schema(summary="Get a question", responses={200: QuestionSerializer, **errors(401, 404)})
    def get(self, request, question_id):
        return Response(QuestionSerializer(get_object_or_404(selectors.question_queryset(user=request.user),
                                                             pk=question_id)).data)


def _resolution(request, question, unblocked) -> Response:
    return Response({
        "question": QuestionSerializer(selectors.question_get(user=request.user, question_id=question.pk)).data,
        "unblocked_tasks": TaskSerializer(unblocked, many=True).data,
    })


class QuestionAnswerApi(APIView):
    @extend_schema(summary="Answer a question: the tasks it blocked go back to the queue with the answer",
                   description="Every task linked to the question gets the answer in context.answers. A task it "
                               "blocked is requeued, unless it is also linked to another unanswered question: then "
                               "it stays blocked, waiting on that one. The answer is the owner's (a session or an "
                               "owner key; an agent key gets 403 owner_decision): each sentence with a trigger "
                               "phrase is captured as Knowledge.",
                   request=QuestionAnswerSerializer, responses={200: AnswerResponse, **errors(400, 401, 403, 404, 409)})
    def put(self, request, question_id):
        question = get_object_or_404(selectors.question_queryset(user=request.user), pk=question_id)
        answer = validated(QuestionAnswerSerializer, request.data)["answer"]
        question, unblocked = services.question_answer(question=question, by=request_attribution(request), answer=answer)
        return _resolution(request, question, unblocked)


class QuestionDismissApi(APIView):
    @extend_schema(summary="Dismiss a question without answering (its tasks get the reason, as for an answer)",
                   description="The reason reaches the linked tasks and the blocked ones move on exactly as for "
                               "an answer (PUT /api/questions/{id}/answer). The owner's decision (403 owner_decision "
                               "for an agent key).",
                   request=QuestionDismissSerializer, responses={200: AnswerResponse, **errors(400, 401, 403, 404, 409)})
    def put(self, request, question_id):
        question = get_object_or_404(selectors.question_queryset(user=request.user), pk=question_id)
        data = validated(QuestionDismissSerializer, request.data)
        question, unblocked = services.question_dismiss(question=question, by=request_attribution(request),
                                                        reason=data["reason"])
        return _resolution(request, question, unblocked)


