from django.contrib import admin

from apps.activity.admin import admin_service
from apps.core.admin import AuditedModelAdmin, ReadOnlyInline, tenant_admin_site

from . import services
from .models import Question, QuestionStatus, QuestionUnblock


class QuestionUnblockInline(ReadOnlyInline):
    """The tasks a question blocks, shown only: they are linked when it is asked (question_create, which
    blocks them), never by hand, so a linked task always waits on it."""

    model = QuestionUnblock
    fields = ["task"]
    readonly_fields = fields


@admin.register(Question, site=tenant_admin_site)
class QuestionAdmin(AuditedModelAdmin):
    """Written through apps.questions.services: asked with question_create, reworded while unanswered with
    question_update. Answering and dismissing go through question_answer / question_dismiss (API,
    dashboard): they requeue the blocked tasks, log, and capture the trigger phrases of the owner's
    answer. The admin shows the outcome only and deletes nothing."""

    list_display = ["text", "priority", "priority_reason", "status", "created_at", "answered_at"]
    list_filter = ["status", "priority", "priority_reason"]
    search_fields = ["text", "context", "answer"]
    readonly_fields = ["status", "answer", "answered_at", "answered_by", "dismissed_reason", "created_at"]
    inlines = [QuestionUnblockInline]

    service_create = admin_service(services.question_create)
    service_update = admin_service(services.question_update, instance="question")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != QuestionStatus.UNANSWERED:
            return False  # answered or dismissed: the record (question_update, 409)
        return super().has_change_permission(request, obj)
