"""Playbooks services: each state change writes its Log (naming who acted) and publishes its event on
commit; serving is consulting, logged but not published; a refused change publishes nothing."""

import pytest

from apps.activity.models import Actor, Log
from apps.core.errors import Conflict
from apps.playbooks import services
from apps.playbooks.models import Playbook

FILE = "---\nname: board-pack\ndescription: Preparing the quarterly board report.\n---\n\n# Board pack\n"


@pytest.fixture
def active(tenant_a):
    return tenant_a.make("playbooks.playbook", name="scheduling", description="Booking time.")


@pytest.fixture
def proposal(tenant_a):
    return tenant_a.make("playbooks.playbook", name="wins-note", status="proposed")


def _log(playbook, action) -> Log:
    return Log.objects.get(entity_id=playbook.pk, action=action)


def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        created = services.playbook_create(by=tenant_a.by_owner, name="board-pack", description="d", content="c")
        log = _log(created, "playbook.created")
    assert [e.type for e in sent] == ["playbook.created"]
    assert sent[0].payload["entity_id"] == str(created.pk) and sent[0].schema_name == tenant_a.tenant.schema_name
    assert (log.actor, log.user_id, log.details["status"]) == (Actor.USER, tenant_a.owner.pk, "active")


def test_propose_logs_and_publishes_as_claude(tenant_a, capture_events):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema(), capture_events() as sent:
        proposed = services.playbook_propose(by=tenant_a.by_claude, name="wins-note", description="d", content="c",
                                             learned_from="three weeks of notes", source_task=task)
        log = _log(proposed, "playbook.proposed")
    assert [e.type for e in sent] == ["playbook.proposed"] and sent[0].payload["actor"] == Actor.CLAUDE
    assert (log.actor, log.user_id, log.details["source_task_id"]) == (Actor.CLAUDE, tenant_a.owner.pk, str(task.pk))


def test_update_logs_the_changed_fields_and_publishes(tenant_a, active, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.playbook_update(playbook=active, by=tenant_a.by_owner, description="Booking time, three calendars.",
                                 name="scheduling")
        log = _log(active, "playbook.updated")
    assert [e.type for e in sent] == ["playbook.updated"]
    assert (log.actor, log.user_id, log.details["fields"]) == (Actor.USER, tenant_a.owner.pk, ["description"])


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, active, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.playbook_update(playbook=active, by=tenant_a.by_owner, name="scheduling", description="Booking time.")
        assert not Log.objects.filter(entity_id=active.pk).exists()
    assert sent == []


@pytest.mark.parametrize(("move", "action", "to"), [("approve", "playbook.approved", "active"),
                                                    ("reject", "playbook.rejected", "rejected")])
def test_a_proposal_is_approved_or_rejected_logged_and_published(tenant_a, proposal, capture_events, move, action,
                                                                  to):
    extra = {"reason": "We stopped the wins note."} if move == "reject" else {}
    with tenant_a.schema(), capture_events() as sent:
        getattr(services, f"playbook_{move}")(playbook=proposal, by=tenant_a.by_owner, **extra)
        log = _log(proposal, action)
    assert [e.type for e in sent] == [action]
    assert (log.actor, log.user_id, log.details["from"], log.details["to"]) == (Actor.USER, tenant_a.owner.pk,
                                                                               "proposed", to)
    assert log.details.get("reason") == extra.get("reason")


def test_archive_logs_and_publishes(tenant_a, active, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.playbook_archive(playbook=active, by=tenant_a.by_owner)
        log = _log(active, "playbook.archived")
    assert [e.type for e in sent] == ["playbook.archived"]
    assert (log.actor, log.user_id, log.details["to"]) == (Actor.USER, tenant_a.owner.pk, "archived")


def test_import_logs_and_publishes_creating_then_updating(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        playbook, created = services.playbook_import(by=tenant_a.by_owner, text=FILE)
        again, created_again = services.playbook_import(by=tenant_a.by_owner, text=FILE.replace("# Board", "# The"))
        logs = list(Log.objects.filter(entity_id=playbook.pk, action="playbook.imported").order_by("timestamp"))
    assert (created, created_again, again.pk) == (True, False, playbook.pk)
    assert [e.type for e in sent] == ["playbook.imported", "playbook.imported"]
    assert [(log.actor, log.user_id, log.details["created"]) for log in logs] == [
        (Actor.USER, tenant_a.owner.pk, True), (Actor.USER, tenant_a.owner.pk, False)]
    assert logs[1].details["fields"] == ["content"]


def test_serving_is_consulting_logged_but_not_published(tenant_a, active, capture_events):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema(), capture_events() as sent:
        served = services.playbook_serve(by=tenant_a.by_claude, playbook=active, task=task)
        log = _log(active, "playbook.consulted")
    assert served.use_count == 1 and sent == []
    assert (log.actor, log.user_id, log.details["task_id"]) == (Actor.CLAUDE, tenant_a.owner.pk, str(task.pk))


@pytest.mark.parametrize(("move", "status"), [("approve", "active"), ("reject", "active"), ("archive", "proposed"),
                                              ("update", "archived")])
def test_a_refused_move_publishes_nothing(tenant_a, capture_events, move, status):
    playbook = tenant_a.make("playbooks.playbook", status=status)
    extra = {"reason": "No."} if move == "reject" else {"content": "New"} if move == "update" else {}
    with tenant_a.schema():
        with pytest.raises(Conflict), capture_events() as sent:
            getattr(services, f"playbook_{move}")(playbook=playbook, by=tenant_a.by_owner, **extra)
        assert Playbook.objects.get(pk=playbook.pk).status == status
        assert not Log.objects.filter(entity_id=playbook.pk).exists()
    assert sent == []


def test_an_ambiguous_import_publishes_nothing(tenant_a, capture_events):
    for status in ("active", "proposed"):
        tenant_a.make("playbooks.playbook", name="board-pack", status=status)
    with tenant_a.schema():
        with pytest.raises(Conflict), capture_events() as sent:
            services.playbook_import(by=tenant_a.by_owner, text=FILE)
        assert not Log.objects.filter(action="playbook.imported").exists()
    assert sent == []
