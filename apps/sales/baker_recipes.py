"""model-bakery recipes for the pipeline: `baker.make_recipe("sales.opportunity", user=owner)`.
Pass `user=` explicitly: rows live in the tenant's schema."""

from model_bakery.recipe import Recipe, seq

from .models import SalesOpportunity, Stage

opportunity = Recipe(SalesOpportunity, name=seq("Opportunity "), stage=Stage.LEAD)
