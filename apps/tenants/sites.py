"""The two admin sites: ops staff on the public host, a tenant's owners and admins on its host."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm


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
