from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Question, QuestionUnblock


class QuestionUnblockInline(admin.TabularInline):
    model = QuestionUnblock
    extra = 0
    autocomplete_fields = ["task"]


@admin.register(Question, site=tenant_admin_site)
class QuestionAdmin(AuditedModelAdmin):
    list_display = ["text", "priority", "priority_reason", "status", "created_at", "answered_at"]
    list_filter = ["status", "priority", "priority_reason"]
    search_fields = ["text", "context", "answer"]
    # Answering and dismissing go through apps.questions.services (question_answer / question_dismiss):
    # they requeue the blocked tasks, log, and capture the trigger phrases of the owner's answer. The
    # admin shows the outcome only.
    readonly_fields = ["status", "answer", "answered_at", "answered_by", "dismissed_reason", "created_at"]
    inlines = [QuestionUnblockInline]
