"""The context of a person and of a client (seed: "Context Retrieval"): what Claude reads before
dealing with someone or with an account."""

from django.db.models import Case, F, IntegerField, Q, Value, When

from apps.activity.selectors import history_where
from apps.core.pagination import limited
from apps.people.models import Client, Person
from apps.people.selectors import person_queryset
from apps.playbooks.selectors import playbooks_relevant
from apps.sales.models import CLOSED_STAGES, SalesOpportunity
from apps.tasks.models import Project, Task, TaskPerson, WaitingItem, WaitingStatus
from apps.tasks.selectors.tasks import NEXT_ORDER, task_queryset

# Before dealing with a person, the playbooks on how David communicates apply; before an account,
# those on sales.
PERSON_PLAYBOOK_CATEGORIES = ("communication",)
CLIENT_PLAYBOOK_CATEGORIES = ("sales", "communication")


def person_context(*, person: Person, user) -> dict:
    """GET /api/context/person/{id}: the person with their relationship context, their client, the
    open tasks they are on (with their role), what we are waiting on them for, recent history (the
    person's own Log and that of the tasks they are on), and the playbooks that apply (matched by
    name, company and client; communication ones always). A constant number of queries; lists are
    capped and `counts` says how many there are in all."""
    open_links, open_total = limited(
        TaskPerson.objects.filter(person=person, task__user=user, task__status__in=Task.OPEN_STATUSES)
        .select_related("task")
        .defer("task__search_vector")
        .order_by("task__priority", F("task__due_date").asc(nulls_last=True), "task__created_at")
    )
    waiting, waiting_total = limited(
        WaitingItem.objects.filter(user=user, person=person, status=WaitingStatus.WAITING).order_by("follow_up_date", "since")
    )
    history = history_where(
        where=Q(entity_type="person", entity_id=person.pk)
        | Q(entity_type="task", entity_id__in=TaskPerson.objects.filter(person=person).values("task_id"))
    )
    text = "\n".join(filter(None, [person.name, person.company, person.client.name if person.client else None]))
    return {
        "person": person,
        "client": person.client,
        "open_tasks": open_links,
        "waiting_items": waiting,
        "history": history,
        "relevant_playbooks": playbooks_relevant(user=user, text=text, categories=PERSON_PLAYBOOK_CATEGORIES),
        "counts": {"open_tasks": open_total, "waiting_items": waiting_total},
    }


def client_context(*, client: Client, user) -> dict:
    """GET /api/context/client/{id}: the client, its people (with relationship context), its sales
    opportunities (open ones first), its projects, the open tasks of those projects or involving
    its people, recent history (the client's, its people's and its projects'), and the playbooks
    that apply (matched by name and notes; sales and communication ones always). A constant number
    of queries; lists are capped and `counts` says how many there are in all."""
    people, people_total = limited(person_queryset(user=user).filter(client=client).order_by("name"))
    opportunities, opportunities_total = limited(
        SalesOpportunity.objects.filter(user=user, client=client).order_by(
            Case(When(stage__in=CLOSED_STAGES, then=Value(1)), default=Value(0), output_field=IntegerField()),
            "expected_close_date",
            "name",
        )
    )
    projects, projects_total = limited(
        Project.objects.filter(user=user, client=client).defer("search_vector").order_by("priority_order", "name")
    )
    client_people = Person.objects.filter(client=client).values("pk")
    client_projects = Project.objects.filter(client=client).values("pk")
    open_tasks, open_total = limited(
        task_queryset(user=user)
        .filter(status__in=Task.OPEN_STATUSES)
        .filter(Q(project__client=client) | Q(pk__in=TaskPerson.objects.filter(person__client=client).values("task_id")))
        .order_by(*NEXT_ORDER)
    )
    history = history_where(
        where=Q(entity_type="client", entity_id=client.pk)
        | Q(entity_type="person", entity_id__in=client_people)
        | Q(entity_type="project", entity_id__in=client_projects)
    )
    return {
        "client": client,
        "people": people,
        "sales_opportunities": opportunities,
        "projects": projects,
        "open_tasks": open_tasks,
        "history": history,
        "relevant_playbooks": playbooks_relevant(
            user=user, text="\n".join(filter(None, [client.name, client.notes])), categories=CLIENT_PLAYBOOK_CATEGORIES
        ),
        "counts": {
            "people": people_total,
            "sales_opportunities": opportunities_total,
            "projects": projects_total,
            "open_tasks": open_total,
        },
    }
