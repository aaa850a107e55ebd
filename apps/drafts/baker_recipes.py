"""model-bakery recipes for drafts: `baker.make_recipe("drafts.email", user=owner)`, and the people
and playbook drafting is about (the seed's Patrick at Liberty, its email-drafting-guide). Pass
`user=` (and Patrick's `client=`) explicitly: they live in the tenant's schema."""

from model_bakery.recipe import Recipe, seq

from apps.people.models import Client, Person
from apps.playbooks.models import Playbook

from .models import Draft, DraftType

email = Recipe(Draft, type=DraftType.EMAIL, recipient="patrick@liberty.example", subject=seq("Pilot follow-up "),
               body="Hi Patrick,\n\nThanks for the time today.")
note = email.extend(type=DraftType.NOTE, recipient=None, subject=None, body="A note to self.")

liberty = Recipe(Client, name="Liberty Hotel", notes="AI implementation pilot")
patrick = Recipe(
    Person, name="Patrick Fields", email="patrick@liberty.example", title="Operations Director", company="Liberty Hotel",
    relationship="client", relationship_to_user="Main contact at Liberty Hotel",
    political_context="Reports to GM. Close to decision-maker.",
    communication_notes="Prefers brief, direct emails. Responds quickly.",
)

email_guide = Recipe(
    Playbook, name="email-drafting-guide", category="communication", must_consult=True,
    description="Guide for drafting external emails. Covers tone, relationship awareness, strategic considerations.",
    triggers=lambda: ["draft email", "email to", "reply to", "follow up with"],
    content="# Email Drafting Guide\n\n## Before You Draft\n\n1. Who is this person relative to David?",
)
