from django.contrib import admin

from apps.activity.admin import admin_action, admin_service
from apps.core.admin import AuditedModelAdmin, tenant_admin_site

from . import services
from .models import SalesOpportunity, Stage


@admin.register(SalesOpportunity, site=tenant_admin_site)
class SalesOpportunityAdmin(AuditedModelAdmin):
    """Written through opportunity_create / opportunity_update / opportunity_delete; the stage moves only
    by the actions calling opportunity_advance (one stage at a time; an illegal move is shown, not made)."""

    list_display = ["name", "client", "stage", "value", "probability", "expected_close_date", "next_action_date"]
    list_filter = ["stage", "client"]
    search_fields = ["name", "description", "notes", "client__name"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    readonly_fields = ["stage", "closed_at", "created_at", "updated_at"]
    service_ids = ("client",)
    actions = ["advance_selected", "close_won_selected", "close_lost_selected"]

    service_create = admin_service(services.opportunity_create)
    service_update = admin_service(services.opportunity_update, instance="opportunity")
    service_delete = admin_service(services.opportunity_delete, instance="opportunity")

    advance_selected = admin_action(services.opportunity_advance, instance="opportunity", done="Advanced",
                                    description="Advance selected opportunities to their next stage")
    close_won_selected = admin_action(services.opportunity_advance, instance="opportunity", done="Closed as won",
                                      stage=Stage.CLOSED_WON, description="Close selected opportunities as won")
    close_lost_selected = admin_action(services.opportunity_advance, instance="opportunity", done="Closed as lost",
                                       stage=Stage.CLOSED_LOST, description="Close selected opportunities as lost")
