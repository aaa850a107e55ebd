"""Sales pipeline API: CRUD, every legal and illegal stage move, closed_at, the pipeline numbers."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.activity.models import Log
from apps.sales.models import SalesOpportunity
from apps.sales.selectors import opportunity_pipeline

STAGES = ["lead", "qualified", "proposal", "negotiation", "closed_won", "closed_lost"]
LEGAL = {
    "lead": {"qualified", "closed_lost"},
    "qualified": {"proposal", "closed_lost"},
    "proposal": {"negotiation", "closed_lost"},
    "negotiation": {"closed_won", "closed_lost"},
    "closed_won": set(),
    "closed_lost": set(),
}


def _opportunity(world, **fields) -> SalesOpportunity:
    """An opportunity at any stage; a closed one has its closing time, as the database requires."""
    closed = {"closed_at": timezone.now()} if fields.get("stage") in ("closed_won", "closed_lost") else {}
    return world.make("sales.opportunity", **{"name": "Acme rollout", **closed, **fields})


def _logs(world, action):
    with world.schema():
        return list(Log.objects.filter(action=action).order_by("timestamp"))


def test_create_with_client_get_list_and_filters(tenant_a):
    client = tenant_a.make("people.client", name="Acme")
    api = tenant_a.api()
    response = api.post("/api/sales", {"name": "Acme rollout", "client_id": str(client.pk), "value": "12000.50",
                                       "probability": 40, "expected_close_date": "2030-06-30"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["stage"], body["value"], body["weighted_value"], body["client"]) == (
        "lead", "12000.50", "4800.20", {"id": str(client.pk), "name": "Acme", "status": client.status})
    assert body["allowed_next_stages"] == ["qualified", "closed_lost"] and body["closed_at"] is None
    assert api.get(f"/api/sales/{body['id']}").json()["name"] == "Acme rollout"
    _opportunity(tenant_a, name="Other", stage="proposal")
    assert [o["name"] for o in api.get("/api/sales", {"stage": "lead"}).json()["results"]] == ["Acme rollout"]
    assert len(api.get("/api/sales", {"stage": "lead,proposal"}).json()["results"]) == 2
    assert api.get("/api/sales", {"open": "false"}).json()["results"] == []
    assert api.get("/api/sales", {"stage": "won"}).status_code == 400
    [log] = _logs(tenant_a, "opportunity.created")
    assert log.details["value"] == "12000.50" and log.details["client_id"] == str(client.pk)


@pytest.mark.parametrize(("payload", "field"), [
    ({"value": "1"}, "name"),
    ({"name": "x", "probability": 101}, "probability"),
    ({"name": "x", "value": "-1"}, "value"),
    ({"name": "x", "stage": "closed_won"}, "stage"),
])
def test_create_refuses_bad_input_naming_the_field(tenant_a, payload, field):
    response = tenant_a.api().post("/api/sales", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{field}:")


def test_create_refuses_a_client_of_another_workspace(tenant_a, tenant_b):
    foreign = tenant_b.make("people.client", name="B's client")
    response = tenant_a.api().post("/api/sales", {"name": "x", "client_id": str(foreign.pk)}, format="json")
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("client_id: no such client")
    with tenant_a.schema():
        assert not SalesOpportunity.objects.exists()


def test_update_and_delete(tenant_a):
    opportunity = _opportunity(tenant_a, value=Decimal("100.00"))
    api = tenant_a.api()
    url = f"/api/sales/{opportunity.pk}"
    updated = api.put(url, {"probability": 25, "next_action": "Call CFO"}, format="json")
    assert updated.status_code == 200 and updated.json()["weighted_value"] == "25.00"
    assert api.patch(url, {"stage": "qualified"}, format="json").status_code == 400  # moves only through /advance
    assert api.patch(url, {"probability": 25}, format="json").status_code == 200  # no change, not logged
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    [log] = _logs(tenant_a, "opportunity.updated")
    assert log.details["fields"] == ["next_action", "probability"]
    assert len(_logs(tenant_a, "opportunity.deleted")) == 1


def test_advance_without_a_body_walks_the_pipeline_one_stage_at_a_time(tenant_a):
    opportunity = _opportunity(tenant_a)
    api = tenant_a.api()
    seen = [api.put(f"/api/sales/{opportunity.pk}/advance", format="json").json()["stage"] for _ in range(3)]
    assert seen == ["qualified", "proposal", "negotiation"]
    undecided = api.put(f"/api/sales/{opportunity.pk}/advance", {}, format="json")
    assert undecided.status_code == 400 and undecided.json()["error"]["message"].startswith("stage: say how it closed")
    won = api.put(f"/api/sales/{opportunity.pk}/advance", {"stage": "closed_won"}, format="json").json()
    assert won["stage"] == "closed_won" and won["closed_at"] is not None and won["probability"] == 100
    assert won["allowed_next_stages"] == [] and won["weighted_value"] is None  # no value: nothing to weigh
    moves = [(log.details["old_stage"], log.details["new_stage"]) for log in _logs(tenant_a, "opportunity.advanced")]
    assert moves == [("lead", "qualified"), ("qualified", "proposal"), ("proposal", "negotiation"),
                     ("negotiation", "closed_won")]


@pytest.mark.parametrize("current", STAGES)
@pytest.mark.parametrize("target", STAGES)
def test_every_stage_move(tenant_a, current, target):
    opportunity = _opportunity(tenant_a, stage=current, value=Decimal("1000.00"), probability=50)
    response = tenant_a.api().put(f"/api/sales/{opportunity.pk}/advance", {"stage": target, "reason": "because"},
                                  format="json")
    with tenant_a.schema():
        after = SalesOpportunity.objects.get(pk=opportunity.pk)
    if target in LEGAL[current]:
        assert response.status_code == 200, response.json()
        assert after.stage == target
        assert (after.closed_at is not None) == (target in ("closed_won", "closed_lost"))
        if target == "closed_lost":
            assert after.probability == 0 and after.notes.endswith("Closed lost: because")
        assert len(_logs(tenant_a, "opportunity.advanced")) == 1
    else:
        assert response.status_code == 409, (current, target, response.json())
        error = response.json()["error"]
        assert error["code"] == "invalid_stage_transition"
        assert error["details"]["stage"] == current
        assert set(error["details"]["allowed_next_stages"]) == LEGAL[current]
        assert current in error["message"]
        assert (after.stage, after.closed_at is None) == (current, current not in ("closed_won", "closed_lost"))
        assert _logs(tenant_a, "opportunity.advanced") == []


def test_moving_a_closed_deal_on_without_a_stage_is_409(tenant_a):
    opportunity = _opportunity(tenant_a, stage="closed_lost")
    response = tenant_a.api().put(f"/api/sales/{opportunity.pk}/advance", format="json")
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"opportunity_id": str(opportunity.pk), "stage": "closed_lost",
                                                   "requested_stage": None, "allowed_next_stages": []}


def test_pipeline_numbers_per_stage_in_one_query(tenant_a, tenant_b):
    rows = [("lead", "1000.00", 10), ("lead", "500.00", None), ("lead", None, 50),
            ("proposal", "2000.00", 50), ("negotiation", "3000.10", 75),
            ("closed_won", "4000.00", 100), ("closed_lost", "999.00", 0)]
    for stage, value, probability in rows:
        _opportunity(tenant_a, stage=stage, value=Decimal(value) if value else None, probability=probability)
    _opportunity(tenant_b, stage="lead", value=Decimal("1000000.00"), probability=100)  # another workspace
    with tenant_a.schema(), CaptureQueriesContext(connection) as queries:
        opportunity_pipeline(user=tenant_a.owner)
    statements = [q["sql"] for q in queries if "search_path" not in q["sql"]]  # django-tenants' schema switch
    assert len(statements) == 1 and "GROUP BY" in statements[0], statements
    body = tenant_a.api().get("/api/sales/pipeline").json()
    assert body["stages"] == [
        {"stage": "lead", "count": 3, "total_value": "1500.00", "weighted_value": "100.00"},
        {"stage": "qualified", "count": 0, "total_value": "0.00", "weighted_value": "0.00"},
        {"stage": "proposal", "count": 1, "total_value": "2000.00", "weighted_value": "1000.00"},
        {"stage": "negotiation", "count": 1, "total_value": "3000.10", "weighted_value": "2250.08"},
        {"stage": "closed_won", "count": 1, "total_value": "4000.00", "weighted_value": "4000.00"},
        {"stage": "closed_lost", "count": 1, "total_value": "999.00", "weighted_value": "0.00"},
    ]
    assert body["open"] == {"count": 5, "total_value": "6500.10", "weighted_value": "3350.08"}
