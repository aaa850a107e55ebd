from django.contrib import admin

from apps.activity.admin import admin_service
from apps.core.admin import AuditedModelAdmin, ReadOnlyInline, tenant_admin_site

from . import services
from .models import Client, Person


class PersonInline(ReadOnlyInline):
    """The client's people, shown; each is added and edited on its own page (person_create / person_update)."""

    model = Person
    fields = ["name", "email", "title", "relationship"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Client, site=tenant_admin_site)
class ClientAdmin(AuditedModelAdmin):
    """Written through client_create / client_update / client_delete: a client with people, projects or
    deals is not deleted (409 shown here): archive it (status) instead."""

    list_display = ["name", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "notes"]
    inlines = [PersonInline]

    service_create = admin_service(services.client_create)
    service_update = admin_service(services.client_update, instance="client")
    service_delete = admin_service(services.client_delete, instance="client")


@admin.register(Person, site=tenant_admin_site)
class PersonAdmin(AuditedModelAdmin):
    """Written through person_create / person_update / person_delete: a person on open work is not
    deleted (409 shown here)."""

    list_display = ["name", "email", "title", "company", "client", "relationship", "next_follow_up"]
    list_filter = ["relationship", "client"]
    search_fields = ["name", "email", "company", "title", "context_notes", "communication_notes"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    service_ids = ("client",)
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "title", "company", "client"]}),
        ("Relationship", {"fields": ["relationship", "relationship_to_user", "political_context", "communication_notes"]}),
        ("Tracking", {"fields": ["last_contact", "next_follow_up", "context_notes", "metadata"]}),
    ]

    service_create = admin_service(services.person_create)
    service_update = admin_service(services.person_update, instance="person")
    service_delete = admin_service(services.person_delete, instance="person")
