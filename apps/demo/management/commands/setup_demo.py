"""Used by `make run`: the demo tenant, its data and a working API key, once; prints how to log in."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts.selectors import api_key_resolve
from apps.accounts.services import api_key_create
from apps.activity.attribution import Attribution
from apps.demo.services import demo_seed
from apps.tenants.models import Tenant
from apps.tenants.services import tenant_create

DEMO_SLUG = "demo"
DEMO_EMAIL = "david@demo.example"
DEMO_PASSWORD = "expertly-demo"


class Command(BaseCommand):
    help = "Create the demo tenant with demo data if missing and print its URL, login and API key."

    def add_arguments(self, parser):
        parser.add_argument("--key-file", default=str(settings.BASE_DIR / ".data" / "demo-api-key"),
                            help="where the demo API key is kept between runs (development only)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, key_file, **options):
        key_path = Path(key_file)
        tenant = Tenant.objects.filter(slug=DEMO_SLUG).first()
        created = tenant is None
        raw_key = None
        if created:
            result = tenant_create(slug=DEMO_SLUG, name="David's workspace (demo)", owner_email=DEMO_EMAIL,
                                   owner_name="David", owner_password=DEMO_PASSWORD, owner_timezone="America/New_York")
            tenant, raw_key = result.tenant, result.raw_api_key
        elif key_path.exists():
            stored = key_path.read_text().strip()
            raw_key = stored if api_key_resolve(raw_key=stored) else None
        if raw_key is None:
            owner = tenant.users.filter(email=DEMO_EMAIL).first() or tenant.users.order_by("created_at").first()
            raw_key = api_key_create(by=Attribution.system(owner), name="Claude (make run)")[1]
        key_path.parent.mkdir(parents=True, exist_ok=True)
        key_path.write_text(raw_key + "\n")
        key_path.chmod(0o600)
        demo_seed(tenant=tenant)

        domain = tenant.get_primary_domain().domain
        info = {
            "slug": tenant.slug, "domain": domain, "url": f"http://{domain}:{settings.PORT}/",
            "owner_email": DEMO_EMAIL, "password": DEMO_PASSWORD, "api_key": raw_key, "created": created,
        }
        if options["json"]:
            self.stdout.write(json.dumps(info))
        else:
            for label, value in info.items():
                self.stdout.write(f"{label:12} {value}")
