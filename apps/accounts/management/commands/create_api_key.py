import json

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import ApiKeyRole, User
from apps.accounts.services import api_key_create
from apps.activity.attribution import Attribution


class Command(BaseCommand):
    help = "Create an API key for a user of a tenant and print it once."

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="the tenant's slug")
        parser.add_argument("email", help="the user's email")
        parser.add_argument("--name", default="Claude", help="what the key is for")
        parser.add_argument("--role", choices=ApiKeyRole.values, default=ApiKeyRole.AGENT,
                            help="agent (Claude; the default) or owner (your own scripts: may make your decisions)")
        parser.add_argument("--json", action="store_true", help='print {"prefix","api_key"}')

    def handle(self, *args, **options):
        user = User.objects.select_related("tenant").filter(
            tenant__slug=options["tenant"], email=options["email"].strip().lower()
        ).first()
        if user is None:
            raise CommandError(f"No user {options['email']} in tenant '{options['tenant']}'.")
        api_key, raw_key = api_key_create(by=Attribution.system(user), name=options["name"], role=options["role"])
        if options["json"]:
            self.stdout.write(json.dumps({"prefix": api_key.prefix, "api_key": raw_key, "role": api_key.role}))
        else:
            self.stdout.write(f"{api_key.get_role_display()} API key for {user.email} ({api_key.prefix}): {raw_key}")
            self.stdout.write(self.style.WARNING("Shown only now: it cannot be recovered later."))
