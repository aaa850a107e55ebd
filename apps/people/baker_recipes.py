"""model-bakery recipes for clients and people: `baker.make_recipe("people.patrick", user=owner)`.
Pass `user=` explicitly (and `client=` where it matters): rows live in the tenant's schema."""

from model_bakery.recipe import Recipe, seq

from .models import Client, ClientStatus, Person, Relationship

client = Recipe(Client, name=seq("Client "), status=ClientStatus.ACTIVE, metadata=dict)

# The seed's example account and contact ("Draft Context").
liberty = client.extend(name="Liberty Hotel", notes="AI implementation pilot")

person = Recipe(Person, name=seq("Person "), metadata=dict)

patrick = person.extend(
    name="Patrick Fields",
    email="patrick@liberty.example",
    title="Operations Director",
    company="Liberty Hotel",
    relationship=Relationship.CLIENT,
    relationship_to_user="Main contact at Liberty Hotel",
    political_context="Reports to GM. Close to decision-maker.",
    communication_notes="Prefers brief, direct emails. Responds quickly.",
)
