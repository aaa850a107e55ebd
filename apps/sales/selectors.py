"""Reads for the sales pipeline."""

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum

from apps.core.filters import filterset_apply

from .filters import OpportunityFilter
from .models import CENTS, CLOSED_STAGES, SalesOpportunity, Stage


def opportunity_queryset(*, user) -> QuerySet[SalesOpportunity]:
    return SalesOpportunity.objects.filter(user=user).select_related("client").defer("client__search_vector")


def opportunity_list(*, user, filters: dict) -> QuerySet[SalesOpportunity]:
    """Opportunities of `user`, expected close date first unless `ordering` says otherwise, narrowed by
    the query parameters of apps.sales.filters.OpportunityFilter (stage, open, client_id, close dates,
    search); a bad value is a 400 naming the parameter."""
    return filterset_apply(OpportunityFilter, filters, opportunity_queryset(user=user))


def opportunity_get(*, user, opportunity_id) -> SalesOpportunity:
    return opportunity_queryset(user=user).get(pk=opportunity_id)


def opportunity_pipeline(*, user) -> dict:
    """Per stage (every stage, in pipeline order): how many opportunities, their total value and their
    probability-weighted value (value × probability / 100; an unset value or probability adds 0), plus
    the same for the open pipeline. One aggregate query (GROUP BY stage)."""
    weighted = ExpressionWrapper(F("value") * F("probability"), output_field=DecimalField(max_digits=20, decimal_places=2))
    rows = {row["stage"]: row for row in SalesOpportunity.objects.filter(user=user).order_by().values("stage")
            .annotate(count=Count("pk"), total_value=Sum("value"), weighted_value=Sum(weighted))}
    stages = []
    for stage in Stage.values:
        row = rows.get(stage, {})
        stages.append({
            "stage": stage,
            "count": row.get("count", 0),
            "total_value": (row.get("total_value") or Decimal(0)).quantize(CENTS),
            "weighted_value": ((row.get("weighted_value") or Decimal(0)) / 100).quantize(CENTS),
        })
    open_stages = [s for s in stages if s["stage"] not in CLOSED_STAGES]
    return {
        "stages": stages,
        "open": {key: sum((s[key] for s in open_stages), Decimal(0) if key != "count" else 0)
                 for key in ("count", "total_value", "weighted_value")},
    }
