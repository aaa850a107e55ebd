"""model-bakery recipes for the public schema's users and API keys: `baker.prepare_recipe("accounts.user",
tenant=world.tenant)`. Users and keys are made through their services (user_create, api_key_create)
wherever a test can; a recipe is for the rows no service writes, such as a schema-constraint case."""

import secrets

from model_bakery.recipe import Recipe, foreign_key, seq

from .models import ApiKey, User

user = Recipe(User, email=seq("member", suffix="@example.com"), role=User.Role.MEMBER)

# A key's prefix and hash in their stored formats (the raw key is never stored).
api_key = Recipe(ApiKey, user=foreign_key(user), name=seq("Key "), prefix=lambda: f"etk_{secrets.token_hex(4)}",
                 key_hash=lambda: secrets.token_hex(32))
