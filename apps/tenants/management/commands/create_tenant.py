import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.tenants.models import Tenant
from apps.tenants.services import tenant_create


class Command(BaseCommand):
    help = (
        "Create a tenant: its schema, the domain <slug>.localhost, the owner user and a first API key "
        "(printed once; only its hash is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="lowercase letters, digits and hyphens, e.g. acme-corp")
        parser.add_argument("--name", required=True, help="the organisation's display name")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--owner-password", default=None, help="omit for an API-key-only owner")
        parser.add_argument("--timezone", default="UTC", help="the owner's IANA time zone")
        parser.add_argument("--tier", default=Tenant.Tier.STANDARD, choices=Tenant.Tier.values)
        parser.add_argument("--json", action="store_true", help='print {"slug","domain","owner_email","api_key"}')

    def handle(self, *args, **options):
        try:
            created = tenant_create(
                slug=options["slug"],
                name=options["name"],
                owner_email=options["owner_email"],
                owner_name=options["owner_name"],
                owner_password=options["owner_password"],
                owner_timezone=options["timezone"],
                tier=options["tier"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(problems) from exc
        if options["json"]:
            self.stdout.write(json.dumps({
                "slug": created.tenant.slug,
                "domain": created.domain.domain,
                "owner_email": created.owner.email,
                "api_key": created.raw_api_key,
            }))
            return
        self.stdout.write(self.style.SUCCESS(f"Created tenant '{created.tenant.slug}' at {created.domain.domain}"))
        self.stdout.write(f"Owner:   {created.owner.email}")
        self.stdout.write(f"API key: {created.raw_api_key}")
        self.stdout.write(self.style.WARNING("The key is shown only now: store it where Claude can read it."))
