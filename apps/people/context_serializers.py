"""Response shapes of GET /api/context/person/{id} and /api/context/client/{id}.

Apart from serializers.py because they nest task and project shapes, and apps.tasks.serializers
itself imports the person shapes from serializers.py. Each reads the dict its selector returns, so
the documented shape is the shape served. Lists hold at most 50 entries; `counts` has the totals.
"""

from rest_framework import serializers

from apps.activity.serializers import LogSerializer
from apps.sales.serializers import OpportunityBriefSerializer
from apps.tasks.api.serializers import (
    ProjectSummarySerializer,
    RelevantPlaybookSerializer,
    TaskBriefSerializer,
    TaskInvolvementSerializer,
    WaitingItemBriefSerializer,
)

from .serializers import ClientSerializer, PersonContextSerializer, PersonSerializer


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
