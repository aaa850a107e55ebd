"""Every write to projects (projects, initiatives and goals; seed: "projects" table).

Each write resolves its references within the caller's workspace (`parent_id`, `client_id`: an id
the workspace does not have is a 400 naming the field), writes the audit Log and publishes its
event on commit (`project.created`, `project.updated`, `project.deleted`).
"""

from django.db import connection, transaction

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.core.selectors import reference_get
from apps.core.services import model_update
from apps.people.models import Client

from ..models import Project, Task

EDITABLE_FIELDS = ("name", "description", "project_type", "status", "priority_order", "success_criteria", "target_date",
                   "metadata")

# Every project of a project's chain of parents, itself included. UNION (not UNION ALL) stops on a
# row already seen, so even a corrupt cycle cannot make it loop.
ANCESTORS_SQL = """
WITH RECURSIVE chain(id, parent_id) AS (
    SELECT id, parent_id FROM {table} WHERE id = %s
    UNION
    SELECT p.id, p.parent_id FROM {table} p JOIN chain c ON p.id = c.parent_id
)
SELECT id FROM chain
"""


def project_parent_for(*, user, parent_id, project: Project | None = None) -> Project | None:
    """The parent `parent_id` names, if it may be one: a project of this workspace, not `project`
    itself and not one of its descendants (that would make the hierarchy a cycle). Otherwise 400
    naming parent_id.

    Re-parenting takes a transaction-scoped advisory lock on the workspace's project tree first, so
    two concurrent moves (A under B, B under A) cannot each pass the check and together make a cycle.
    """
    parent = reference_get(Project, user=user, field="parent_id", value=parent_id)
    if parent is None or project is None:
        return parent  # a new project has no descendants
    if parent.pk == project.pk:
        raise InvalidInput.field("parent_id", "a project cannot be its own parent")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}.project_tree"])
        cursor.execute(ANCESTORS_SQL.format(table=Project._meta.db_table), [parent.pk])
        ancestors = {row[0] for row in cursor.fetchall()}
    if project.pk in ancestors:
        raise InvalidInput.field(
            "parent_id", f"'{parent.name}' is inside '{project.name}'; moving '{project.name}' under it would make a cycle")
    return parent


@transaction.atomic
def project_create(*, by: Attribution, name: str, parent_id=None, client_id=None, **fields) -> Project:
    """A new project, initiative or goal of the workspace (fields as in EDITABLE_FIELDS). `parent_id` and
    `client_id` must name a project and a client of this workspace (400 naming the field otherwise)."""
    parent = project_parent_for(user=by.user, parent_id=parent_id)
    client = reference_get(Client, user=by.user, field="client_id", value=client_id)
    project = Project.objects.create(user=by.user, name=name, parent=parent, client=client,
                                     **{k: v for k, v in fields.items() if v is not None})
    log_record(action=LogAction.PROJECT_CREATED, by=by, entity=project,
               details={"name": project.name, "project_type": project.project_type, "status": project.status,
                        "parent_id": str(parent.pk) if parent else None})
    return project


@transaction.atomic
def project_update(*, by: Attribution, project: Project, **changes) -> Project:
    """Change a project's fields (any subset of EDITABLE_FIELDS, `parent_id`, `client_id`; None
    detaches). Archiving is an update (`status: archived`). A change that changes nothing writes
    nothing and logs nothing."""
    if "parent_id" in changes:
        changes["parent"] = project_parent_for(user=by.user, parent_id=changes.pop("parent_id"), project=project)
    if "client_id" in changes:
        changes["client"] = reference_get(Client, user=by.user, field="client_id", value=changes.pop("client_id"))
    model_update(instance=project, changes=changes, log=lambda changed: log_record(
        action=LogAction.PROJECT_UPDATED, by=by, entity=project,
        details={"name": project.name, "fields": changed}))
    return project


@transaction.atomic
def project_delete(*, by: Attribution, project: Project) -> None:
    """Delete a project that nothing hangs off; otherwise 409 saying what to do.

    A project with tasks (any status: completed ones are its history) or with child projects is
    refused: the database would silently detach them (ON DELETE SET NULL), and the tasks would lose
    the project context Claude reads. Archive it instead (`status: archived`), or move its tasks
    and children elsewhere first. The row is locked before counting, so a task being added to it
    concurrently is either counted or refused by its foreign key."""
    project = Project.objects.select_for_update().defer("search_vector").get(pk=project.pk)
    tasks = Task.objects.filter(project=project).count()
    children = Project.objects.filter(parent=project).count()
    if tasks or children:
        parts = [
            f"{tasks} task{'s' if tasks != 1 else ''}" if tasks else "",
            f"{children} child project{'s' if children != 1 else ''}" if children else "",
        ]
        raise Conflict(
            f"Project '{project.name}' still has {' and '.join(p for p in parts if p)}. Archive it instead "
            f'(PATCH /api/projects/{project.pk} with status "archived"), or move them to another project '
            "(project_id on the tasks, parent_id on the child projects) and delete it then.",
            code=ErrorCode.PROJECT_IN_USE,
            details={"project_id": str(project.pk), "tasks": tasks, "child_projects": children},
        )
    log_record(action=LogAction.PROJECT_DELETED, by=by, entity=project,
               details={"name": project.name, "project_type": project.project_type})
    project.delete()
