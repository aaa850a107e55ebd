from django.urls import path

from . import api

urlpatterns = [
    path("questions", api.QuestionListCreateApi.as_view(), name="questions"),
    path("questions/unanswered", api.QuestionUnansweredApi.as_view(), name="questions-unanswered"),
    path("questions/<uuid:question_id>", api.QuestionDetailApi.as_view(), name="question"),
    path("questions/<uuid:question_id>/answer", api.QuestionAnswerApi.as_view(), name="question-answer"),
    path("questions/<uuid:question_id>/dismiss", api.QuestionDismissApi.as_view(), name="question-dismiss"),
]
