"""API shapes of tasks. Input serializers only validate; the services do the work."""

from rest_framework import serializers

from apps.activity.serializers import LogSerializer
from apps.knowledge.models import KnowledgeCategory
from apps.people.serializers import ClientBriefSerializer, PersonContextSerializer, RelatedPersonSerializer
from apps.playbooks.serializers import MatchedPlaybookSerializer, MustConsultWarningSerializer, PlaybookSummarySerializer
from apps.questions.serializers import QuestionSerializer

from ..models import Assignee, Project, ProjectStatus, ProjectType, Task, TaskPersonRole, WaitingItem


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


class KnowledgeItemSerializer(serializers.Serializer):
    """A new learning {content, category}, or {knowledge_id, category?}: route that entry of the task
    (e.g. a trigger-phrase entry, which must be settled before completing), its category corrected."""

    knowledge_id = serializers.UUIDField(required=False, help_text="An entry of this task to route (settles it).")
    content = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=KnowledgeCategory.choices, required=False)

    def validate(self, attrs):
        if attrs.get("knowledge_id") and "content" in attrs:
            raise serializers.ValidationError({"content": ["Leave it out with knowledge_id: the entry keeps its words."]})
        if not attrs.get("knowledge_id"):
            missing = {name: ["This field is required."] for name in ("content", "category") if name not in attrs}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class FollowUpTaskSerializer(TaskWriteSerializer):
    pass


class TaskCompleteSerializer(serializers.Serializer):
    output = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    learnings_captured = serializers.BooleanField(
        allow_null=True, required=False, default=None,
        help_text="true: learnings already captured (POST /api/knowledge/capture); false: nothing to capture.")
    knowledge_captured = serializers.BooleanField(
        allow_null=True, required=False, default=None, write_only=True,
        help_text="The seed's name for learnings_captured; either may be sent (if both, they must agree).")
    knowledge = KnowledgeItemSerializer(many=True, required=False)
    follow_up_tasks = FollowUpTaskSerializer(many=True, required=False)

    def validate(self, attrs):
        alias = attrs.pop("knowledge_captured", None)
        learned = attrs.get("learnings_captured")
        if alias is not None and learned is not None and alias != learned:
            raise serializers.ValidationError({"knowledge_captured": [
                "Disagrees with learnings_captured (the same field under the seed's name): send one of them."]})
        if learned is None:
            attrs["learnings_captured"] = alias
        return attrs


class TaskBlockSerializer(serializers.Serializer):
    question_text = serializers.CharField()
    why_asking = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    what_claude_will_do = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    priority = serializers.IntegerField(min_value=1, max_value=5, default=3)


class ProjectContextSerializer(serializers.ModelSerializer):
    recent_tasks = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "description", "project_type", "status", "success_criteria", "target_date",
                  "recent_tasks"]

    def get_recent_tasks(self, project) -> list[dict]:
        return TaskBriefSerializer(self.context.get("recent_tasks", []), many=True).data


class TaskBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "status", "priority", "assignee", "due_date", "updated_at"]


class ContextPersonSerializer(PersonContextSerializer):
    role = serializers.SerializerMethodField()

    class Meta(PersonContextSerializer.Meta):
        fields = [*PersonContextSerializer.Meta.fields, "role"]

    def get_role(self, person) -> str | None:
        return self.context.get("roles", {}).get(person.pk)


def work_context_data(context: dict) -> dict:
    """The `context` object of /tasks/next, /start and /claim, shaped as the seed shows it."""
    people = [tp.person for tp in context["people"]]
    roles = {tp.person_id: tp.role for tp in context["people"]}
    project = context["project"]
    return {
        "people": ContextPersonSerializer(people, many=True, context={"roles": roles}).data,
        "project": ProjectContextSerializer(project, context={"recent_tasks": context["recent_tasks"]}).data
        if project else None,
        "related_tasks": TaskBriefSerializer(context["related_tasks"], many=True).data,
        "history": LogSerializer(context["history"], many=True).data,
    }


def work_payload(task: Task | None, context: dict | None) -> dict:
    """{task, context, matched_playbooks, must_consult_warnings}: what Claude works from."""
    if task is None:
        return {"task": None, "context": None, "matched_playbooks": [], "must_consult_warnings": []}
    return {
        "task": TaskSerializer(task).data,
        "context": work_context_data(context),
        "matched_playbooks": MatchedPlaybookSerializer(context["playbooks"].matched, many=True).data,
        "must_consult_warnings": MustConsultWarningSerializer(context["playbooks"].must_consult, many=True).data,
    }


def start_payload(task: Task, context: dict) -> dict:
    """POST /api/tasks/{id}/start: the seed's {task, context, playbooks}, plus the work payload's
    matched_playbooks and must_consult_warnings so Claude reads a started task as it reads /next."""
    payload = work_payload(task, context)
    return {"task": payload["task"], "context": payload["context"], "playbooks": payload["matched_playbooks"],
            "matched_playbooks": payload["matched_playbooks"], "must_consult_warnings": payload["must_consult_warnings"]}


class WorkContextSerializer(serializers.Serializer):
    """For the API schema: the shape work_context_data() returns."""

    people = ContextPersonSerializer(many=True)
    project = ProjectContextSerializer(allow_null=True)
    related_tasks = TaskBriefSerializer(many=True)
    history = LogSerializer(many=True)


class WorkPayloadSerializer(serializers.Serializer):
    """For the API schema: {task, context, matched_playbooks, must_consult_warnings}."""

    task = TaskSerializer(allow_null=True)
    context = WorkContextSerializer(allow_null=True)
    matched_playbooks = MatchedPlaybookSerializer(many=True)
    must_consult_warnings = MustConsultWarningSerializer(many=True)


class StartPayloadSerializer(serializers.Serializer):
    """For the API schema: what start_payload() returns (the seed's {task, context, playbooks})."""

    task = TaskSerializer()
    context = WorkContextSerializer()
    playbooks = MatchedPlaybookSerializer(many=True, help_text="The playbooks that match the task (the seed's name; "
                                                               "the same list as matched_playbooks).")
    matched_playbooks = MatchedPlaybookSerializer(many=True)
    must_consult_warnings = MustConsultWarningSerializer(many=True)


class TaskBlockResponseSerializer(serializers.Serializer):
    """POST /api/tasks/{id}/block: the task, now blocked, and the question it waits on."""

    task = TaskSerializer()
    question = QuestionSerializer()


class CompletionSerializer(serializers.Serializer):
    task = TaskSerializer()
    warnings = serializers.ListField(child=serializers.DictField())
    knowledge = serializers.ListField(child=serializers.DictField())
    follow_up_tasks = TaskSerializer(many=True)


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


# --- the context endpoints (GET /api/context/...) ---------------------------------------------
# Each response serializer reads the dict its selector returns, so the documented shape is the
# shape served.

class RelevantPlaybookSerializer(serializers.Serializer):
    """A playbook that applies, why, and (must-consult ones) the warning to heed: read it in full
    with GET /api/playbooks/{id}?task_id=… before the work."""

    id = serializers.UUIDField(source="playbook.id")
    name = serializers.CharField(source="playbook.name")
    category = serializers.CharField(source="playbook.category", allow_null=True)
    match_reason = serializers.CharField()
    relevance_score = serializers.FloatField()
    must_consult = serializers.BooleanField(source="playbook.must_consult")
    warning = serializers.CharField(allow_null=True)
    content_preview = serializers.SerializerMethodField()

    def get_content_preview(self, relevant) -> str:
        return PlaybookSummarySerializer().get_content_preview(relevant.playbook)


class TaskInvolvementSerializer(serializers.Serializer):
    """A task someone is on, and their role on it (reads a TaskPerson)."""

    role = serializers.CharField(allow_null=True)
    task = TaskBriefSerializer()


class WaitingItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WaitingItem
        fields = ["id", "what", "who", "since", "follow_up_date", "why_it_matters", "status", "task_id"]


class TaskContextResponseSerializer(serializers.Serializer):
    """GET /api/context/task/{id}: the seed's {task, project, related_people, related_tasks, history,
    relevant_playbooks}."""

    task = TaskSerializer()
    project = ProjectContextSerializer(allow_null=True, help_text="With its most recently updated other tasks.")
    related_people = RelatedPersonSerializer(many=True)
    related_tasks = TaskBriefSerializer(many=True, help_text="Open tasks of the same project, and tasks with the "
                                                             "same people.")
    history = LogSerializer(many=True, help_text="The task's audit trail, newest first.")
    relevant_playbooks = RelevantPlaybookSerializer(many=True)

    def to_representation(self, instance):
        self.context.setdefault("recent_tasks", instance.get("recent_tasks", []))
        return super().to_representation(instance)


class TaskCountsSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    working = serializers.IntegerField()
    blocked = serializers.IntegerField()
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class ProjectContextCountsSerializer(serializers.Serializer):
    tasks = serializers.IntegerField()
    child_projects = serializers.IntegerField()
    people = serializers.IntegerField()


class ProjectContextResponseSerializer(serializers.Serializer):
    """GET /api/context/project/{id}. Lists hold at most 50 entries; `counts` has the totals."""

    project = ProjectSerializer()
    parent = ProjectSummarySerializer(allow_null=True)
    child_projects = ProjectSummarySerializer(many=True)
    recent_tasks = TaskBriefSerializer(many=True, help_text="The project's tasks, most recently updated first.")
    task_counts = TaskCountsSerializer(help_text="The project's tasks by status.")
    people = PersonContextSerializer(many=True, help_text="Everyone on the project's tasks, with relationship context.")
    history = LogSerializer(many=True, help_text="The project's and its tasks' audit trail, newest first.")
    relevant_playbooks = RelevantPlaybookSerializer(many=True)
    counts = ProjectContextCountsSerializer()
