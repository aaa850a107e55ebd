"""Tenant isolation on every API endpoint, found by walking the URL conf (new endpoints are covered
automatically): tenant B's key gets 404 for each of tenant A's ids with every method, no list or
search answered to B contains anything of A's (while A's own answer does), and no POST-only
collection route (claim, capture, propose, import) hands B anything of A's."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.routes import api_routes

SECRET = "zebracorn"  # a word only tenant A's rows contain


def _factories(world):
    client = world.make("people.client", name=f"{SECRET} client")
    return {
        "task_id": lambda: world.make("tasks.task", title=f"{SECRET} task"),
        "question_id": lambda: world.make("questions.question", text=f"{SECRET} question"),
        "playbook_id": lambda: world.make("playbooks.playbook", name=f"{SECRET} playbook", description=SECRET,
                                          content=SECRET),
        "person_id": lambda: world.make("people.person", name=f"{SECRET} person", client=client),
        "project_id": lambda: world.make("tasks.project", name=f"{SECRET} project"),
        "client_id": lambda: client,
        "draft_id": lambda: world.make("drafts.draft", type="email", body=SECRET),
        "knowledge_id": lambda: world.make("knowledge.knowledge", content=SECRET, category="person", source_type="task"),
        "recurring_id": lambda: world.make("tasks.recurring", title=SECRET, frequency="daily", next_run=timezone.now()),
        # overdue (a past follow-up date), so /api/waiting/overdue lists it to A
        "waiting_id": lambda: world.make("tasks.waiting", what=SECRET, follow_up_date=timezone.now() - timedelta(days=2)),
        "opportunity_id": lambda: world.make("sales.opportunity", name=SECRET, client=client),
        # no route takes a log id; this row is for GET /api/logs (the rows above are written directly: no log)
        "log": lambda: world.make("activity.log", action="client.updated", entity_type="client", entity_id=client.pk,
                                  details={"note": SECRET}),
    }


def _api_routes():
    """(path template, view class, uuid parameter names) for every DRF route under /api/."""
    routes = []
    for route, callback in api_routes():
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view is not None:
            routes.append((route, view, re.findall(r"<uuid:(\w+)>", route)))
    return routes


ROUTES = _api_routes()
DETAIL_ROUTES = [r for r in ROUTES if r[2]]
LIST_ROUTES = [r for r in ROUTES if not r[2] and "get" in r[1].http_method_names and hasattr(r[1], "get")
               and not r[0].startswith(("api/schema", "api/docs", "api/health"))]
# Collection routes that only take POST (claim, capture, propose, import): B's POST must not reach A's rows either.
POST_ONLY_ROUTES = [r for r in ROUTES if not r[2] and hasattr(r[1], "post") and not hasattr(r[1], "get")]

# List routes whose answer to A does not contain A's rows by design, so the positive check (A's own
# answer does show the secret word) is skipped for them. Each needs its reason:
NOT_LISTING_THE_ROWS = {
    "api/knowledge/triggers",  # the trigger phrases (seed's and the owner's settings), not entities
    "api/sales/pipeline",      # counts and sums per stage, no names
    "api/dashboard/stats",     # numbers only
    "api/workspace/pause",     # the workspace's own brake: paused or not, no rows
}
# POST-only routes whose answer to A, with an empty body, is one of A's rows.
POST_RETURNING_OWN_ROWS = {"api/tasks/claim"}  # claims A's queued task


def test_every_id_parameter_has_a_factory(tenant_a):
    with tenant_a.schema():
        known = set(_factories(tenant_a))
    assert {name for _, _, names in DETAIL_ROUTES for name in names} <= known


@pytest.mark.parametrize(("route", "view", "params"), DETAIL_ROUTES, ids=[r[0] for r in DETAIL_ROUTES])
def test_tenant_b_gets_404_for_tenant_a_ids(tenant_a, tenant_b, route, view, params):
    with tenant_a.schema():
        factories = _factories(tenant_a)
        path = "/" + route
        for name in params:
            path = path.replace(f"<uuid:{name}>", str(factories[name]().pk))
    api = tenant_b.api()
    methods = [m for m in ("get", "put", "patch", "post", "delete") if hasattr(view, m)]
    assert methods
    for method in methods:
        response = getattr(api, method)(path, {}, format="json")
        assert response.status_code == 404, (method, path, response.status_code, response.content[:300])
        assert response.json()["error"]["code"] == "not_found"
    # the same ids with A's own key exist (so the 404s above are about the tenant, not the id)
    assert tenant_a.api().get(path).status_code != 404 or "get" not in methods


@pytest.mark.parametrize(("route", "view", "params"), LIST_ROUTES, ids=[r[0] for r in LIST_ROUTES])
def test_tenant_b_never_sees_tenant_a_rows(tenant_a, tenant_b, route, view, params):
    with tenant_a.schema():
        for make in _factories(tenant_a).values():
            make()
    query = {"q": SECRET, "task_description": SECRET} if re.search(r"search|match", route) else {}
    response = tenant_b.api().get("/" + route, query)
    assert response.status_code == 200, (route, response.status_code, response.content[:300])
    body = response.json()
    if isinstance(body, dict):
        body.pop("query", None)  # search echoes the caller's own words back; that is not A's data
    assert SECRET not in json.dumps(body)
    own = tenant_a.api().get("/" + route, query)
    assert own.status_code == 200
    if route not in NOT_LISTING_THE_ROWS:  # so B's answer above was about the tenant, not an empty route
        assert SECRET in json.dumps(own.json()), (route, own.content[:300])


def test_the_exception_lists_name_real_routes():
    assert NOT_LISTING_THE_ROWS <= {r[0] for r in LIST_ROUTES}
    assert POST_RETURNING_OWN_ROWS <= {r[0] for r in POST_ONLY_ROUTES}
    assert "api/tasks/claim" in {r[0] for r in POST_ONLY_ROUTES}


@pytest.mark.parametrize(("route", "view", "params"), POST_ONLY_ROUTES, ids=[r[0] for r in POST_ONLY_ROUTES])
def test_tenant_b_never_reaches_tenant_a_rows_through_post_only_routes(tenant_a, tenant_b, route, view, params):
    with tenant_a.schema():
        for make in _factories(tenant_a).values():
            make()
    response = tenant_b.api().post("/" + route, {}, format="json")
    assert response.status_code < 500, (route, response.status_code, response.content[:300])
    assert SECRET not in response.content.decode(), (route, response.content[:300])
    if route == "api/tasks/claim":
        assert response.json()["task"] is None  # B has nothing queued; A's task is not B's to claim
    if route in POST_RETURNING_OWN_ROWS:
        own = tenant_a.api().post("/" + route, {}, format="json")
        assert own.status_code == 200 and SECRET in own.content.decode(), (route, own.content[:300])


def test_unknown_ids_answer_404_like_foreign_ones(tenant_a):
    response = tenant_a.api().get(f"/api/tasks/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
