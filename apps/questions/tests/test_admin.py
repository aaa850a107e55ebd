"""The workspace admin does not answer or dismiss questions: that goes through question_answer /
question_dismiss (API, dashboard), which requeue the blocked tasks, log, and capture the trigger
phrases of the owner's answer. A change form posting an answer or a dismissal changes neither. The tasks a
question blocks are shown, not linked by hand (only question_create links them, blocking them)."""

from apps.activity.models import Log
from apps.knowledge.models import Knowledge
from apps.questions.models import Question, QuestionUnblock
from apps.tasks.models import Task

QUESTION = {"text": "Which template for Liberty?", "priority": "3", "priority_reason": "", "context": "",
            "why_asking": "", "what_claude_will_do": "", "question_unblocks-TOTAL_FORMS": "0",
            "question_unblocks-INITIAL_FORMS": "0"}


def test_the_admin_cannot_answer_or_dismiss_a_question_around_the_service(tenant_a, admin_client):
    question = tenant_a.make("questions.question", text="Which template for Liberty?")
    response = admin_client.post(f"/admin/questions/question/{question.pk}/change/", {
        **QUESTION, "status": "answered", "answer": "The short one. Always use the short one for Liberty.",
        "dismissed_reason": "Not needed"})
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_a.schema():
        question.refresh_from_db()
        assert (question.status, question.answer, question.dismissed_reason) == ("unanswered", None, None)
        assert not Knowledge.objects.exists()


def test_the_admin_cannot_link_a_task_to_a_question_without_blocking_it(tenant_a, admin_client):
    question = tenant_a.make("questions.question", text="Which template for Liberty?")
    task = tenant_a.make("tasks.task", title="Draft the Liberty email")
    page = admin_client.get(f"/admin/questions/question/{question.pk}/change/").content.decode()
    assert 'name="question_unblocks-0-task"' not in page
    response = admin_client.post(f"/admin/questions/question/{question.pk}/change/", {
        **QUESTION, "question_unblocks-TOTAL_FORMS": "1", "question_unblocks-0-task": str(task.pk)})
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_a.schema():
        assert not QuestionUnblock.objects.exists()
        assert Task.objects.get(pk=task.pk).status == "queued"


def test_questions_are_asked_and_reworded_through_the_services_and_never_deleted(tenant_a, admin_client):
    assert admin_client.post("/admin/questions/question/add/", QUESTION).status_code == 302
    with tenant_a.schema():
        question = Question.objects.get()
        assert Log.objects.get(action="question.created", entity_id=question.pk).actor == "user"
    response = admin_client.post(f"/admin/questions/question/{question.pk}/change/", {**QUESTION, "priority": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert admin_client.get(f"/admin/questions/question/{question.pk}/delete/").status_code == 403
    with tenant_a.schema():
        log = Log.objects.get(action="question.updated", entity_id=question.pk)
        assert log.actor == "user" and log.details["fields"] == ["priority"]
        Question.objects.filter(pk=question.pk).update(status="dismissed", dismissed_reason="Not needed")
    assert admin_client.post(f"/admin/questions/question/{question.pk}/change/",
                       {**QUESTION, "text": "Reworded"}).status_code == 403
    with tenant_a.schema():
        assert Question.objects.get(pk=question.pk).text == "Which template for Liberty?"
