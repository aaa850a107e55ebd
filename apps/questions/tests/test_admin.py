"""The workspace admin does not answer or dismiss questions: that goes through question_answer /
question_dismiss (API, dashboard), which requeue the blocked tasks, log, and capture the trigger
phrases of the owner's answer. A change form posting an answer or a dismissal changes neither."""

from django.test import Client

from apps.knowledge.models import Knowledge
from apps.questions.models import Question

PASSWORD = "correct horse battery staple"


def test_the_admin_cannot_answer_or_dismiss_a_question_around_the_service(tenant_a):
    with tenant_a.schema():
        question = Question.objects.create(user=tenant_a.owner, text="Which template for Liberty?")
    client = Client(HTTP_HOST=tenant_a.host)
    assert client.post("/admin/login/", {"username": tenant_a.owner.email, "password": PASSWORD,
                                         "next": "/admin/"}).status_code == 302
    response = client.post(f"/admin/questions/question/{question.pk}/change/", {
        "text": "Which template for Liberty?", "priority": "3", "priority_reason": "", "context": "{}",
        "why_asking": "", "what_claude_will_do": "", "status": "answered",
        "answer": "The short one. Always use the short one for Liberty.", "dismissed_reason": "Not needed",
        "question_unblocks-TOTAL_FORMS": "0", "question_unblocks-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_a.schema():
        question.refresh_from_db()
        assert (question.status, question.answer, question.dismissed_reason) == ("unanswered", None, None)
        assert not Knowledge.objects.exists()
