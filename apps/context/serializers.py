"""Response shapes of the context endpoints and of the search.

Each response serializer reads the dict (or the result) its selector returns, so the documented
shape is the shape served. Lists hold at most 50 entries (history 20); `counts` has the totals.
"""

from rest_framework import serializers

from apps.activity.serializers import LogSerializer
from apps.people.models import Person
from apps.people.serializers import ClientBriefSerializer, ClientSerializer, PersonContextSerializer, PersonSerializer
from apps.playbooks.serializers import PlaybookMatchFields, PlaybookSummarySerializer
from apps.sales.serializers import OpportunityBriefSerializer
from apps.tasks.api.serializers import ProjectSerializer, ProjectSummarySerializer, TaskSerializer
from apps.tasks.models import Project, Task, WaitingItem

from .selectors.search import DEFAULT_LIMIT, ENTITY_TYPES, MAX_LIMIT

# --- shared by the contexts (and the work loop's payload) ------------------------------------


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



class RelevantPlaybookSerializer(PlaybookMatchFields):
    """A playbook that applies, why, and (must-consult ones) the warning to heed: read it in full
    with GET /api/playbooks/{id}?task_id=… before the work."""

    warning = serializers.CharField(allow_null=True)
    content_preview = serializers.SerializerMethodField()

    def get_content_preview(self, relevant) -> str:
        return PlaybookSummarySerializer().get_content_preview(relevant.playbook)


# --- GET /api/context/task/{id} ---------------------------------------------------------------


class PersonBriefSerializer(serializers.ModelSerializer):
    """Who someone is (how to deal with them is their RelationshipContextSerializer)."""

    client = ClientBriefSerializer(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "email", "phone", "title", "company", "client"]


class RelationshipContextSerializer(serializers.Serializer):
    """How to deal with a person on a task: their role on it and who they are to the owner. Reads a
    TaskPerson (the seed's task_people row)."""

    role = serializers.CharField(allow_null=True, help_text="subject, recipient, stakeholder or mentioned")
    relationship = serializers.CharField(source="person.relationship", allow_null=True)
    relationship_to_user = serializers.CharField(source="person.relationship_to_user", allow_null=True)
    political_context = serializers.CharField(source="person.political_context", allow_null=True)
    communication_notes = serializers.CharField(source="person.communication_notes", allow_null=True)
    context_notes = serializers.CharField(source="person.context_notes", allow_null=True)
    last_contact = serializers.DateTimeField(source="person.last_contact", allow_null=True)
    next_follow_up = serializers.DateTimeField(source="person.next_follow_up", allow_null=True)


class RelatedPersonSerializer(serializers.Serializer):
    """One entry of a task context's related_people: {person, relationship_context}."""

    person = PersonBriefSerializer()
    relationship_context = RelationshipContextSerializer(source="*")


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


# --- GET /api/context/project/{id} ------------------------------------------------------------


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
    """GET /api/context/project/{id}. Lists hold at most 50 entries (history 20); `counts` has the totals."""

    project = ProjectSerializer()
    parent = ProjectSummarySerializer(allow_null=True)
    child_projects = ProjectSummarySerializer(many=True)
    recent_tasks = TaskBriefSerializer(many=True, help_text="The project's tasks, most recently updated first.")
    task_counts = TaskCountsSerializer(help_text="The project's tasks by status.")
    people = PersonContextSerializer(many=True, help_text="Everyone on the project's tasks, with relationship context.")
    history = LogSerializer(many=True, help_text="The project's and its tasks' audit trail, newest first.")
    relevant_playbooks = RelevantPlaybookSerializer(many=True)
    counts = ProjectContextCountsSerializer()


# --- GET /api/context/person/{id} -------------------------------------------------------------


class TaskInvolvementSerializer(serializers.Serializer):
    """A task someone is on, and their role on it (reads a TaskPerson)."""

    role = serializers.CharField(allow_null=True)
    task = TaskBriefSerializer()


class WaitingItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WaitingItem
        fields = ["id", "what", "who", "since", "follow_up_date", "why_it_matters", "status", "task_id"]


class PersonContextCountsSerializer(serializers.Serializer):
    open_tasks = serializers.IntegerField()
    waiting_items = serializers.IntegerField()


class PersonContextResponseSerializer(serializers.Serializer):
    person = PersonSerializer(help_text="With the full relationship context.")
    client = ClientSerializer(allow_null=True)
    open_tasks = TaskInvolvementSerializer(many=True, help_text="Open tasks they are on, most pressing first.")
    waiting_items = WaitingItemBriefSerializer(many=True, help_text="What we are still waiting on them for.")
    history = LogSerializer(many=True, help_text="Their audit trail and their tasks', newest first.")
    relevant_playbooks = RelevantPlaybookSerializer(many=True)
    counts = PersonContextCountsSerializer()


# --- GET /api/context/client/{id} -------------------------------------------------------------


class ClientContextCountsSerializer(serializers.Serializer):
    people = serializers.IntegerField()
    sales_opportunities = serializers.IntegerField()
    projects = serializers.IntegerField()
    open_tasks = serializers.IntegerField()


class ClientContextResponseSerializer(serializers.Serializer):
    client = ClientSerializer()
    people = PersonContextSerializer(many=True, help_text="Its people, with relationship context.")
    sales_opportunities = OpportunityBriefSerializer(many=True, help_text="Open ones first.")
    projects = ProjectSummarySerializer(many=True)
    open_tasks = TaskBriefSerializer(many=True, help_text="Open tasks of its projects or involving its people.")
    history = LogSerializer(many=True, help_text="The client's, its people's and its projects' audit trail.")
    relevant_playbooks = RelevantPlaybookSerializer(many=True)
    counts = ClientContextCountsSerializer()


# --- GET /api/context/search ------------------------------------------------------------------


class ContextSearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(help_text="Web-search syntax: words, \"a phrase\", or, -word.")
    entity_types = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)

    @classmethod
    def from_query_params(cls, params) -> "ContextSearchParamsSerializer":
        """`entity_types` comes repeated (`entity_types=task&entity_types=person`, also as
        `entity_types[]`) or comma-separated (`entity_types=task,person`), or both."""
        data = {key: params[key] for key in ("q", "limit") if key in params}
        raw = params.getlist("entity_types") + params.getlist("entity_types[]")
        data["entity_types"] = [part.strip() for value in raw for part in value.split(",") if part.strip()]
        return cls(data=data)

    def validate_entity_types(self, value):
        unknown = [t for t in value if t not in ENTITY_TYPES]
        if unknown:
            raise serializers.ValidationError(
                f"unknown entity type {', '.join(repr(t) for t in unknown)}; use one or more of {', '.join(ENTITY_TYPES)}.")
        return list(dict.fromkeys(value))


class SearchHitSerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(choices=ENTITY_TYPES)
    id = serializers.UUIDField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="The matching passage, matched words in **bold**.")
    rank = serializers.FloatField(help_text="ts_rank: higher is better; title matches weigh most.")
    status = serializers.CharField(allow_null=True)


class SearchCountsSerializer(serializers.Serializer):
    task = serializers.IntegerField(required=False)
    person = serializers.IntegerField(required=False)
    playbook = serializers.IntegerField(required=False)
    project = serializers.IntegerField(required=False)
    client = serializers.IntegerField(required=False)


class ContextSearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SearchHitSerializer(many=True)
    counts = SearchCountsSerializer(help_text="Matches per requested entity type (all of them, not only those returned).")
    total = serializers.IntegerField()
