"""The workspace admin writes opportunities through their services (actor user); the stage moves only by
the actions calling opportunity_advance, and a move the service refuses is shown, with nothing changed."""

from apps.activity.models import Log
from apps.sales.models import SalesOpportunity
from tests.fixtures.admin import admin_action, admin_saved

DEAL = {"name": "Liberty pilot", "client": "", "description": "", "value": "12000", "probability": "",
        "expected_close_date": "", "last_activity_0": "", "last_activity_1": "", "next_action": "",
        "next_action_date": "", "notes": ""}


CHANGELIST = "/admin/sales/salesopportunity/"


def test_an_opportunity_is_written_and_advanced_through_the_services(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/sales/salesopportunity/add/", {**DEAL, "stage": "negotiation"}))
    with tenant_a.schema():
        deal = SalesOpportunity.objects.get(name="Liberty pilot")
        assert deal.stage == "lead"  # the stage is not a form field
        assert Log.objects.get(action="opportunity.created", entity_id=deal.pk).actor == "user"
    admin_saved(admin_client.post(f"/admin/sales/salesopportunity/{deal.pk}/change/", {**DEAL, "probability": "40"}))
    assert "Advanced: 1." in admin_action(admin_client, CHANGELIST, "advance_selected", deal)
    with tenant_a.schema():
        deal.refresh_from_db()
        assert (deal.stage, deal.probability) == ("qualified", 40)
        assert Log.objects.get(action="opportunity.updated", entity_id=deal.pk).details["fields"] == ["probability"]
        assert Log.objects.get(action="opportunity.advanced", entity_id=deal.pk).actor == "user"


def test_a_stage_move_the_service_refuses_is_shown_and_changes_nothing(tenant_a, admin_client):
    deal = tenant_a.make("sales.opportunity", name="Liberty pilot")
    page = admin_action(admin_client, CHANGELIST, "close_won_selected", deal)
    assert "Cannot move 'Liberty pilot' to closed_won: it is at lead" in page
    with tenant_a.schema():
        assert SalesOpportunity.objects.get(pk=deal.pk).stage == "lead"
        assert not Log.objects.filter(action="opportunity.advanced").exists()
    assert "Closed as lost: 1." in admin_action(admin_client, CHANGELIST, "close_lost_selected", deal)
    admin_saved(admin_client.post(f"/admin/sales/salesopportunity/{deal.pk}/delete/", {"post": "yes"}))
    with tenant_a.schema():
        assert not SalesOpportunity.objects.exists()
        assert Log.objects.get(action="opportunity.deleted", entity_id=deal.pk).actor == "user"
