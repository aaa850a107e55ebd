"""Password login and permissions, scoped to the tenant of the request.

A user logs in on their tenant's host only; ops staff (no tenant) on the public host only. On a
tenant host, owners and admins of that tenant may manage every tenant model in its admin; on the
public host, Django's usual permissions apply to ops staff.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from .models import User

TENANT_APP_LABELS = frozenset(app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS)


def _current_tenant_id():
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "id", None) if tenant is not None and tenant.schema_name != "public" else None


class TenantEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get(User.USERNAME_FIELD) or "").strip().lower()
        if not email or password is None:
            return None
        tenant = getattr(request, "tenant", None) if request is not None else None
        user = User.objects.filter(email=email, tenant=tenant).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint that the email exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def _tenant_admin_here(self, user_obj) -> bool:
        return (
            user_obj.is_active
            and user_obj.is_tenant_admin
            and user_obj.tenant_id is not None
            and user_obj.tenant_id == _current_tenant_id()
        )

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_authenticated:
            return False
        if user_obj.tenant_id is None:
            return super().has_perm(user_obj, perm, obj)
        return self._tenant_admin_here(user_obj) and perm.split(".", 1)[0] in TENANT_APP_LABELS

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_authenticated:
            return False
        if user_obj.tenant_id is None:
            return super().has_module_perms(user_obj, app_label)
        return self._tenant_admin_here(user_obj) and app_label in TENANT_APP_LABELS
