"""model-bakery recipes for playbooks: `baker.make_recipe("playbooks.email_guide", user=owner)`."""

from model_bakery.recipe import Recipe, seq

from .models import Playbook, PlaybookStatus

playbook = Recipe(
    Playbook,
    name=seq("playbook-"),
    description="How this piece of work is done.",
    content="# Playbook\n\nSteps.",
    triggers=list,
    status=PlaybookStatus.ACTIVE,
)

# The seed's example must-consult playbook ("Playbook Structure").
email_guide = playbook.extend(
    name="email-drafting-guide",
    description="Guide for drafting external emails. Covers tone, relationship awareness, strategic considerations.",
    category="communication",
    must_consult=True,
    triggers=lambda: ["draft email", "email to", "reply to", "follow up with"],
    content="# Email Drafting Guide\n\n## Before You Draft\n\n1. Who is this person relative to David?",
)
