"""GET /api/logs: the audit trail, newest first, filtered by entity, actor, action and time, paged."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from apps.accounts.services import user_create
from apps.activity.models import Actor, Log


def _log(world, action="task.created", *, at, **fields):
    """An entry as it stands in the trail (its own time; the owner's unless `user=` says)."""
    return world.make("activity.log", action=action, timestamp=at, **fields)


def _actions(response):
    assert response.status_code == 200, response.content[:300]
    return [row["action"] for row in response.json()["results"]]


@pytest.fixture
def empty_log(tenant_a):
    """No entries (creating the session's tenant wrote some; the test's transaction rolls this back)."""
    with tenant_a.schema():
        Log.objects.all().delete()


@pytest.fixture
def history(tenant_a, empty_log):
    """Five entries on three days (UTC) about two entities."""
    task_id, question_id = uuid.uuid4(), uuid.uuid4()
    _log(tenant_a, "task.created", at=datetime(2026, 1, 10, 9, tzinfo=UTC), entity_type="task", entity_id=task_id)
    _log(tenant_a, "task.started", at=datetime(2026, 1, 10, 23, 30, tzinfo=UTC), entity_type="task",
         entity_id=task_id)
    _log(tenant_a, "question.created", at=datetime(2026, 1, 11, 8, tzinfo=UTC), entity_type="question",
         entity_id=question_id, details={"text": "Which calendar?"})
    _log(tenant_a, "question.answered", actor="user", at=datetime(2026, 1, 11, 10, tzinfo=UTC),
         entity_type="question", entity_id=question_id)
    _log(tenant_a, "task.completed", at=datetime(2026, 1, 12, 12, tzinfo=UTC), entity_type="task", entity_id=task_id,
         session_id="loop-7")
    return {"task_id": task_id, "question_id": question_id}


def test_logs_newest_first_with_the_log_fields(tenant_a, history):
    response = tenant_a.api().get("/api/logs")
    assert _actions(response) == ["task.completed", "question.answered", "question.created", "task.started",
                                  "task.created"]
    first = response.json()["results"][0]
    assert set(first) == {"id", "timestamp", "actor", "action", "entity_type", "entity_id", "details", "session_id"}
    assert first["session_id"] == "loop-7" and first["entity_id"] == str(history["task_id"])


def test_limit_offset_pagination(tenant_a, history):
    body = tenant_a.api().get("/api/logs", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 5
    assert [row["action"] for row in body["results"]] == ["question.answered", "question.created"]
    assert "offset=3" in body["next"]


def test_filter_by_entity(tenant_a, history):
    api = tenant_a.api()
    assert _actions(api.get("/api/logs", {"entity_type": "question"})) == ["question.answered", "question.created"]
    assert _actions(api.get("/api/logs", {"entity_id": str(history["task_id"])})) == [
        "task.completed", "task.started", "task.created"]
    assert _actions(api.get("/api/logs", {"entity_type": "task", "entity_id": str(history["question_id"])})) == []


def test_filter_by_actor(tenant_a, history):
    assert _actions(tenant_a.api().get("/api/logs", {"actor": "user"})) == ["question.answered"]


@pytest.mark.parametrize(("action", "expected"), [
    ("task.started", ["task.started"]),
    ("task.", ["task.completed", "task.started", "task.created"]),
    ("task.*", ["task.completed", "task.started", "task.created"]),
    ("question", []),  # exact unless it ends in '.' or '*'
])
def test_filter_by_action_exact_or_prefix(tenant_a, history, action, expected):
    assert _actions(tenant_a.api().get("/api/logs", {"action": action})) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"start_date": "2026-01-11"}, ["task.completed", "question.answered", "question.created"]),
    ({"end_date": "2026-01-10"}, ["task.started", "task.created"]),  # the whole end day
    ({"start_date": "2026-01-11", "end_date": "2026-01-11"}, ["question.answered", "question.created"]),
    ({"start_date": "2026-01-11T09:00:00Z", "end_date": "2026-01-12T12:00:00Z"}, ["task.completed", "question.answered"]),
    ({"start_date": "2026-01-11T10:00:00+01:00"}, ["task.completed", "question.answered"]),  # 09:00 UTC
    ({"start_date": "2026-01-11T10:00:00 01:00"}, ["task.completed", "question.answered"]),  # '+' lost in the URL
    ({"end_date": "2026-01-10T09:00:00"}, ["task.created"]),  # naive: the owner's time zone (UTC), inclusive
])
def test_filter_by_dates_and_datetimes(tenant_a, history, params, expected):
    assert _actions(tenant_a.api().get("/api/logs", params)) == expected


def test_dates_are_days_in_the_owners_time_zone(tenant_a, history):
    """In Auckland (UTC+13) 10 January 23:30 UTC is already 11 January."""
    original = tenant_a.owner.timezone
    tenant_a.owner.timezone = "Pacific/Auckland"
    tenant_a.owner.save(update_fields=["timezone"])
    try:
        response = tenant_a.api().get("/api/logs", {"start_date": "2026-01-11", "end_date": "2026-01-11"})
    finally:
        tenant_a.owner.timezone = original
    assert _actions(response) == ["question.answered", "question.created", "task.started"]


@pytest.mark.parametrize(("params", "field"), [
    ({"start_date": "yesterday"}, "start_date"),
    ({"end_date": "2026-02-30"}, "end_date"),
    ({"end_date": "2026-01-11T25:00"}, "end_date"),
    ({"entity_id": "not-a-uuid"}, "entity_id"),
    ({"actor": "robot"}, "actor"),
    ({"start_date": "2026-01-12", "end_date": "2026-01-11"}, "end_date"),
])
def test_bad_values_are_400s_naming_the_field(tenant_a, params, field):
    response = tenant_a.api().get("/api/logs", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith(f"{field}:"), error


def test_other_users_entries_are_not_shown_but_the_workspaces_are(tenant_a):
    now = datetime.now(UTC)
    with tenant_a.schema():
        colleague = user_create(tenant=tenant_a.tenant, email="colleague@tenant-a.example", actor=Actor.SYSTEM)
        Log.objects.all().delete()
    _log(tenant_a, "task.created", at=now, user=colleague)
    _log(tenant_a, "task.updated", at=now - timedelta(minutes=1))
    _log(tenant_a, "tenant.created", actor="system", at=now - timedelta(minutes=2), user=None)
    actions = _actions(tenant_a.api().get("/api/logs"))
    assert actions == ["task.updated", "tenant.created"]
