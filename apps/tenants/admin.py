from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from apps.core.admin import ops_admin_site

from .models import Domain, Tenant
from .services import tenant_create, tenant_delete


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class TenantAddForm(forms.ModelForm):
    owner_email = forms.EmailField(help_text="The owner's login; a first API key is created for them.")
    owner_name = forms.CharField(required=False)

    class Meta:
        model = Tenant
        fields = ["name", "slug", "tier"]


@admin.register(Tenant, site=ops_admin_site)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "schema_name", "database_mode", "tier", "user_count", "created_at"]
    list_filter = ["database_mode", "tier"]
    search_fields = ["name", "slug", "domains__domain"]
    readonly_fields = ["schema_name", "created_at", "updated_at"]
    inlines = [DomainInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "schema_name", "tier"]}),
        ("Isolation", {"fields": ["database_mode", "connection_config"]}),
        ("Settings", {"fields": ["settings", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(num_users=Count("users"))

    @admin.display(description="users", ordering="num_users")
    def user_count(self, obj):
        return obj.num_users

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TenantAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["name", "slug", "tier", "owner_email", "owner_name"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["slug", *self.readonly_fields] if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            created = tenant_create(
                slug=data["slug"], name=data["name"], tier=data["tier"],
                owner_email=data["owner_email"], owner_name=data.get("owner_name", ""),
            )
        except ValidationError as exc:
            raise ValidationError(exc) from exc
        obj.pk = created.tenant.pk
        obj._state.adding = False
        messages.warning(
            request,
            f"Tenant created at {created.domain.domain}. API key for {created.owner.email} "
            f"(shown only now, copy it): {created.raw_api_key}",
        )

    def delete_model(self, request, obj):
        tenant_delete(tenant=obj)

    def delete_queryset(self, request, queryset):
        for tenant in queryset:
            tenant_delete(tenant=tenant)

    def get_deleted_objects(self, objs, request):
        # The generic collector cannot see into tenant schemas; say plainly what goes.
        to_delete = [f"Tenant {t}: schema '{t.schema_name}' with all its data, its domains, users and API keys"
                     for t in objs]
        return to_delete, {"tenants": len(to_delete)}, set(), []


@admin.register(Domain, site=ops_admin_site)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["domain", "tenant__name", "tenant__slug"]
    autocomplete_fields = ["tenant"]
