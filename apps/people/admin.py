from django.contrib import admin

from apps.activity.admin import AuditedModelAdmin
from apps.tenants.sites import tenant_admin_site

from .models import Client, Person


class PersonInline(admin.TabularInline):
    model = Person
    fields = ["name", "email", "title", "relationship"]
    extra = 0
    show_change_link = True


@admin.register(Client, site=tenant_admin_site)
class ClientAdmin(AuditedModelAdmin):
    list_display = ["name", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "notes"]
    inlines = [PersonInline]


@admin.register(Person, site=tenant_admin_site)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["name", "email", "title", "company", "client", "relationship", "next_follow_up"]
    list_filter = ["relationship", "client"]
    search_fields = ["name", "email", "company", "title", "context_notes", "communication_notes"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "title", "company", "client"]}),
        ("Relationship", {"fields": ["relationship", "relationship_to_user", "political_context", "communication_notes"]}),
        ("Tracking", {"fields": ["last_contact", "next_follow_up", "context_notes", "metadata"]}),
    ]
