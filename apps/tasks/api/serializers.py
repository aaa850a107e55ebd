"""API shapes of tasks. Input serializers only validate; the services do the work."""

from rest_framework import serializers

from apps.people.serializers import ClientBriefSerializer

from ..models import Assignee, Project, ProjectStatus, ProjectType, Task, TaskPersonRole


class ProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name"]


class TaskPersonBriefSerializer(serializers.Serializer):
    person_id = serializers.UUIDField()
    role = serializers.ChoiceField(choices=TaskPersonRole.choices, allow_null=True, required=False)


class TaskSerializer(serializers.ModelSerializer):
    project = ProjectBriefSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "description", "priority", "status", "assignee", "project", "due_date",
                  "started_at", "completed_at", "blocking_question_id", "context", "output", "source", "tags",
                  "created_at", "updated_at"]


class TaskWriteSerializer(serializers.Serializer):
    """POST /api/tasks and PUT /api/tasks/{id}. Status is not writable: it moves through
    /start, /complete, /block, answers to questions, and DELETE (cancel)."""

    title = serializers.CharField(max_length=500)
    description = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    priority = serializers.IntegerField(min_value=1, max_value=5, required=False)
    assignee = serializers.ChoiceField(choices=Assignee.choices, required=False)
    project_id = serializers.UUIDField(allow_null=True, required=False)
    due_date = serializers.DateTimeField(allow_null=True, required=False)
    context = serializers.DictField(required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    people = TaskPersonBriefSerializer(many=True, required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and "status" in data:
            raise serializers.ValidationError({"status": [
                "Status is not set directly: use POST /api/tasks/{id}/start, /complete or /block, answer the "
                "blocking question, or DELETE the task to cancel it."]})
        return super().to_internal_value(data)


# --- projects ---------------------------------------------------------------------------------

class ProjectSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name", "project_type", "status", "priority_order", "success_criteria", "target_date"]


class ProjectSerializer(serializers.ModelSerializer):
    parent = ProjectBriefSerializer(read_only=True)
    client = ClientBriefSerializer(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "description", "project_type", "status", "priority_order", "success_criteria",
                  "target_date", "parent", "client", "metadata", "created_at", "updated_at"]


class ProjectWriteSerializer(serializers.Serializer):
    """POST /api/projects, PUT/PATCH /api/projects/{id} (any subset of fields on update)."""

    name = serializers.CharField(max_length=255)
    description = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    project_type = serializers.ChoiceField(choices=ProjectType.choices, required=False,
                                           help_text="project: a deliverable; initiative: a strategic effort; "
                                                     "goal: an outcome target.")
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    priority_order = serializers.IntegerField(required=False)
    success_criteria = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    target_date = serializers.DateField(allow_null=True, required=False)
    parent_id = serializers.UUIDField(allow_null=True, required=False,
                                      help_text="A project of this workspace (initiatives contain projects).")
    client_id = serializers.UUIDField(allow_null=True, required=False, help_text="A client of this workspace.")
    metadata = serializers.DictField(required=False)
