from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from apps.activity.attribution import Attribution
from apps.core.admin import ReadOnlyInline, ops_admin_site

from .models import ApiKey, User
from .services import api_key_create, api_key_revoke


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "tenant", "name", "role"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ApiKeyInline(ReadOnlyInline):
    model = ApiKey
    fields = ["name", "role", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    show_change_link = True  # keys are made through the API key admin, which shows the key once


@admin.register(User, site=ops_admin_site)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    list_display = ["email", "name", "tenant", "role", "is_active", "is_staff", "created_at"]
    list_filter = ["role", "is_active", "is_staff", "tenant"]
    search_fields = ["email", "name", "tenant__slug", "tenant__name"]
    ordering = ["tenant__slug", "email"]
    autocomplete_fields = ["tenant"]
    readonly_fields = ["created_at", "updated_at", "last_login"]
    inlines = [ApiKeyInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "tenant", "name", "role", "timezone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Settings", {"fields": ["settings"]}),
        ("Dates", {"fields": ["last_login", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "tenant", "name", "role", "usable_password", "password1", "password2"]}),
    ]
    filter_horizontal = []


class ApiKeyAddForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["user", "name", "role"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.tenant_id is None:
            raise forms.ValidationError("Choose a user of a tenant: ops staff have no API keys.")
        return user


@admin.register(ApiKey, site=ops_admin_site)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "role", "user", "tenant", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "role", "user__tenant"]
    search_fields = ["prefix", "name", "user__email", "user__tenant__slug"]
    list_select_related = ["user__tenant"]
    readonly_fields = ["prefix", "user", "role", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "prefix", "user", "role", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    @admin.display(ordering="user__tenant__slug")
    def tenant(self, obj):
        return obj.user.tenant

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
            kwargs["fields"] = ["user", "name", "role"]
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.fields if obj else ["user", "name", "role"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays as the record of the key

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # ops staff act from the public site, outside any workspace: the system, in the workspace's Log
        api_key, raw_key = api_key_create(by=Attribution.system(form.cleaned_data["user"]), name=form.cleaned_data["name"],
                                          role=form.cleaned_data["role"])
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = api_key.pk, api_key.prefix, api_key.key_hash, api_key.created_at
        obj._state.adding = False
        messages.warning(request, f"New API key for {api_key.user} (shown only now, copy it): {raw_key}")

    @admin.action(description="Revoke the selected API keys")
    def revoke(self, request, queryset):
        keys = list(queryset.select_related("user__tenant").filter(revoked_at__isnull=True))
        for api_key in keys:
            api_key_revoke(api_key=api_key, by=Attribution.system(api_key.user))
        messages.success(request, f"Revoked {len(keys)} key(s).")
