from django.core.management.base import BaseCommand, CommandError

from apps.demo.services import demo_seed
from apps.tenants.models import Tenant


class Command(BaseCommand):
    help = "Fill a tenant with the demo workspace (people, clients, projects, tasks in every state, …). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"No tenant '{slug}'. Create it first: manage.py create_tenant {slug} --name … --owner-email …")
        counts = demo_seed(tenant=tenant)
        self.stdout.write(self.style.SUCCESS(f"Demo data in '{slug}': ") + ", ".join(f"{n} {k}" for k, n in counts.items()))
