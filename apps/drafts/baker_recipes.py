"""model-bakery recipes for drafts: `tenant_a.make("drafts.email")` (see the root conftest), or
`baker.make_recipe("drafts.email", user=owner)` inside the tenant's schema. Pass `user=` explicitly:
rows live in the tenant's schema. The people and playbook drafting is about (the seed's Patrick at
Liberty, its email-drafting-guide) are the people and playbooks apps' recipes: `people.patrick`,
`people.liberty`, `playbooks.email_guide`."""

from model_bakery.recipe import Recipe, seq

from .models import Draft, DraftType

# What Draft.objects.create(type=..., body=...) made: no recipient, no subject.
draft = Recipe(Draft, type=DraftType.EMAIL, body=seq("Draft body "))

email = Recipe(Draft, type=DraftType.EMAIL, recipient="patrick@liberty.example", subject=seq("Pilot follow-up "),
               body="Hi Patrick,\n\nThanks for the time today.")
note = email.extend(type=DraftType.NOTE, recipient=None, subject=None, body="A note to self.")
