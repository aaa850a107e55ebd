"""The admin: the two sites (ops staff on the public host, a tenant's owners and admins on its
host), the base every tenant model's admin extends, and a read-only inline."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from .errors import ServiceError


class OpsAdminSite(admin.AdminSite):
    site_header = "Expertly Today — operations"
    site_title = "Expertly ops"
    index_title = "Tenants, users and API keys"

    def has_permission(self, request):
        user = request.user
        return (
            request.tenant is None and user.is_authenticated and user.is_active
            and user.is_staff and user.tenant_id is None
        )


class TenantAdminLoginForm(AdminAuthenticationForm):
    """The workspace admin is for the tenant's owners and admins (not Django's is_staff)."""

    def confirm_login_allowed(self, user):
        if not user.is_active or not user.is_tenant_admin:
            raise forms.ValidationError(
                "This admin is for the workspace's owners and admins. Ask the owner to change your role.",
                code="invalid_login",
            )


class TenantAdminSite(admin.AdminSite):
    login_form = TenantAdminLoginForm

    site_header = "Expertly Today — workspace admin"
    site_title = "Expertly admin"
    index_title = "Workspace data"

    def has_permission(self, request):
        user = request.user
        tenant = request.tenant
        return (
            tenant is not None and user.is_authenticated and user.is_active
            and user.is_tenant_admin and user.tenant_id == tenant.id
        )

    def each_context(self, request):
        context = super().each_context(request)
        if request.tenant is not None:
            context["site_header"] = f"{request.tenant.name} — workspace admin"
        return context


ops_admin_site = OpsAdminSite(name="ops_admin")
tenant_admin_site = TenantAdminSite(name="tenant_admin")


class AuditedModelAdmin(admin.ModelAdmin):
    """Base for every tenant model in the workspace admin: its writes go through the app's services.

    The admin holds no business rule and writes nothing itself. Adding, changing and deleting call the
    hooks `service_create`, `service_update` and `service_delete`, which each admin maps to its app's
    service (usually with `apps.activity.admin.admin_service`: who acts is the owner), so the audit Log
    and the live event happen exactly as through the API. A hook an admin does not define is a
    permission it does not have (no delete service: no delete). Status columns are read-only here:
    they move only through admin actions calling the services.

    A service refusing (apps.core.errors.ServiceError: a 4xx in the API) rolls the admin's
    transaction back and is shown as the form's error, or as an error message for deletes and
    actions; never a 500.
    """

    exclude = ["user"]
    service_ids: tuple[str, ...] = ()  # foreign keys the services take by id, as `<name>_id`

    # --- the hooks: map to the app's services ---------------------------------------------------

    def service_create(self, request, values: dict):
        raise NotImplementedError

    def service_update(self, request, obj, changes: dict) -> None:
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    def _serves(self, hook: str) -> bool:
        return getattr(type(self), hook) is not getattr(AuditedModelAdmin, hook)

    def has_add_permission(self, request):
        return self._serves("service_create") and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._serves("service_update") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._serves("service_delete") and super().has_delete_permission(request, obj)

    # --- saving through the hooks -----------------------------------------------------------------

    def form_values(self, form, *, change: bool) -> dict:
        """The form's values as service keyword arguments: on a change only the fields that changed."""
        values = {}
        for name in form.changed_data if change else form.fields:
            if name not in form.cleaned_data:
                continue
            value = form.cleaned_data[name]
            if name in self.service_ids:
                name, value = f"{name}_id", value.pk if value is not None else None
            values[name] = value
        return values

    def save_model(self, request, obj, form, change):
        if change:
            changes = self.form_values(form, change=True)
            if changes:  # saving an unchanged form writes and logs nothing
                self.service_update(request, type(obj)._default_manager.get(pk=obj.pk), changes)
        else:
            obj.pk = self.service_create(request, self.form_values(form, change=False)).pk
        obj.refresh_from_db()
        obj._state.adding = False

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    # --- refusals: the service's message, the admin's transaction rolled back ----------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                super().clean()
                raise ValidationError(refusal.message)

        return Refused

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as refusal:  # rolled back; the form again, as posted, with the service's message
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                                                args=[quote(object_id)]))

    def service_each(self, request, queryset, move, done: str) -> int:
        """Run `move(obj)` (one service call) for each selected row, each in its own transaction: a
        refused one is an error message naming the row and the service's reason; the others go on."""
        count = 0
        for obj in queryset:
            try:
                with transaction.atomic():
                    move(obj)
            except ServiceError as refusal:
                self.message_user(request, f"{obj}: {refusal.message}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{done}: {count}.", messages.SUCCESS)
        return count

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (type(self).delete_selected_through_service, "delete_selected",
                                          actions["delete_selected"][2])
        return actions

    def delete_selected_through_service(self, request, queryset):
        """Django's confirmation page, then one service delete per row (refusals shown, not a 500)."""
        if not request.POST.get("post"):
            return delete_selected(self, request, queryset)
        if not self.has_delete_permission(request):
            raise PermissionDenied
        self.service_each(request, queryset, lambda obj: self.delete_model(request, obj), "Deleted")
        return None


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown on a parent's page, never written there (they change through their own
    services): no add, change or delete."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
