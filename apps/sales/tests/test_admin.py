"""The workspace admin writes opportunities through their services (actor user); the stage moves only by
the actions calling opportunity_advance, and a move the service refuses is shown, with nothing changed."""

import html

from apps.activity.models import Log
from apps.sales.models import SalesOpportunity

DEAL = {"name": "Liberty pilot", "client": "", "description": "", "value": "12000", "probability": "",
        "expected_close_date": "", "last_activity_0": "", "last_activity_1": "", "next_action": "",
        "next_action_date": "", "notes": ""}


def _saved(response):
    assert response.status_code == 302, response.content.decode()[:3000]


def _action(client, action: str, *objs) -> str:
    response = client.post("/admin/sales/salesopportunity/",
                           {"action": action, "_selected_action": [str(o.pk) for o in objs]}, follow=True)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_an_opportunity_is_written_and_advanced_through_the_services(tenant_a, admin_client):
    _saved(admin_client.post("/admin/sales/salesopportunity/add/", {**DEAL, "stage": "negotiation"}))
    with tenant_a.schema():
        deal = SalesOpportunity.objects.get(name="Liberty pilot")
        assert deal.stage == "lead"  # the stage is not a form field
        assert Log.objects.get(action="opportunity.created", entity_id=deal.pk).actor == "user"
    _saved(admin_client.post(f"/admin/sales/salesopportunity/{deal.pk}/change/", {**DEAL, "probability": "40"}))
    assert "Advanced: 1." in _action(admin_client, "advance_selected", deal)
    with tenant_a.schema():
        deal.refresh_from_db()
        assert (deal.stage, deal.probability) == ("qualified", 40)
        assert Log.objects.get(action="opportunity.updated", entity_id=deal.pk).details["fields"] == ["probability"]
        assert Log.objects.get(action="opportunity.advanced", entity_id=deal.pk).actor == "user"


def test_a_stage_move_the_service_refuses_is_shown_and_changes_nothing(tenant_a, admin_client):
    with tenant_a.schema():
        deal = SalesOpportunity.objects.create(user=tenant_a.owner, name="Liberty pilot")
    page = _action(admin_client, "close_won_selected", deal)
    assert "Cannot move 'Liberty pilot' to closed_won: it is at lead" in page
    with tenant_a.schema():
        assert SalesOpportunity.objects.get(pk=deal.pk).stage == "lead"
        assert not Log.objects.filter(action="opportunity.advanced").exists()
    assert "Closed as lost: 1." in _action(admin_client, "close_lost_selected", deal)
    _saved(admin_client.post(f"/admin/sales/salesopportunity/{deal.pk}/delete/", {"post": "yes"}))
    with tenant_a.schema():
        assert not SalesOpportunity.objects.exists()
        assert Log.objects.get(action="opportunity.deleted", entity_id=deal.pk).actor == "user"
