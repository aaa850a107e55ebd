"""Settings shared by every mode. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-secret-key-change-me-for-production-0123456789abcdef")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", ".localhost", "127.0.0.1"])
PORT = env_int("PORT", 8000)

# --- Applications ---------------------------------------------------------------------------
# Public schema: tenants and the people who log in. apps.tenants comes before django_tenants so
# that our create_tenant command (owner + API key) replaces the library's bare one, and the admin
# before it so that Django's admin templates are used, not the library's tenant-colouring copies.
SHARED_APPS = [
    "apps.core",
    "apps.tenants",
    "apps.accounts",
    "apps.demo",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django_tenants",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "channels",
    "apps.context",
    "apps.workloop",
]

# One schema per tenant. contenttypes and admin live in each schema too, so the admin's
# LogEntry points at the tenant's own content types.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.admin",
    "apps.activity",
    "apps.people",
    "apps.tasks",
    "apps.questions",
    "apps.drafts",
    "apps.playbooks",
    "apps.knowledge",
    "apps.sales",
    "apps.dashboard",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# Hosts that serve the public site (ops admin, health) without a Tenant row.
PUBLIC_HOSTS = env_list("PUBLIC_HOSTS", ["localhost", "127.0.0.1", "testserver"])
PUBLIC_SCHEMA_URLCONF = "expertly.urls_public"
ROOT_URLCONF = "expertly.urls"
# django-tenants would otherwise run `SET search_path` before every query (django-tenants #801).
TENANT_LIMIT_SET_CALLS = True
# Domain suffix for tenant hosts created by create_tenant: <slug>.localhost in development.
TENANT_DOMAIN_SUFFIX = env_str("TENANT_DOMAIN_SUFFIX", "localhost")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.TenantEmailBackend"]
LOGIN_URL = "/admin/login/"
# Two users of different tenants may share an email, so the username field is unique per
# tenant only; TenantEmailBackend always looks a user up within the request's tenant.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.tenants.middleware.TenantResolutionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.TenantUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "expertly.wsgi.application"
ASGI_APPLICATION = "expertly.asgi.application"

# --- Data stores ----------------------------------------------------------------------------
# The Makefile starts an embedded PostgreSQL on this port when DATABASE_URL is not given.
DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/expertly")
DATABASES = {
    "default": {
        **dj_database_url.parse(DATABASE_URL),
        # Schema-per-tenant needs django-tenants' backend (it sets search_path per tenant).
        # Use session pooling only: transaction poolers lose search_path (django-tenants #1112).
        "ENGINE": "django_tenants.postgresql_backend",
        # One transaction per request: an API call that fails leaves nothing half-written.
        "ATOMIC_REQUESTS": True,
        # Under ASGI every request runs in a fresh thread, so Django's per-thread persistent
        # connections cannot be reused: a process-wide psycopg pool hands out warm connections
        # instead (django-tenants sets search_path on each one as it is taken).
        "OPTIONS": {"pool": {"min_size": env_int("DB_POOL_MIN", 2), "max_size": env_int("DB_POOL_MAX", 20),
                             "timeout": 10}} if env_bool("DB_POOL", True) else {},
    }
}
ORIGINAL_BACKEND = "apps.core.db_backend"  # adds database-level ON DELETE (see that module)
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:63799/0")
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "expertly")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_KEY_PREFIX,
        # Caches are not tenant-aware by themselves (django-tenants #599, #1052): the schema
        # name goes into every key.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# channels-redis reads a process's channel with BZPOPMIN and a 5 s server-side timeout
# (RedisChannelLayer.brpop_timeout), over and over. redis-py 8 gives every connection a 5 s read
# timeout by default (socket_timeout), which runs out just before Redis answers an idle read: the
# read raises TimeoutError and the socket whose consumer was reading dies. The read timeout must
# outlast the blocking read; it still bounds a read from a Redis that stopped answering. Connecting
# keeps a short timeout, so an unreachable Redis is noticed quickly.
CHANNEL_LAYER_SOCKET_TIMEOUT = 15
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                       "socket_connect_timeout": 3, "socket_keepalive": True}],
            "prefix": f"{REDIS_KEY_PREFIX}:channels",
        },
    }
}

# --- Encryption at rest ---------------------------------------------------------------------
# Fernet keys for encrypted columns (Tenant.connection_config). The first key encrypts, all
# decrypt, so keys can be rotated by prepending a new one. Without it a key is derived from
# SECRET_KEY, which is fine for development only (production requires it).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])

# --- Auth, i18n, static ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ApiKeyAuthentication",
        "apps.accounts.authentication.TenantSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "apps.core.exception_handlers.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.LimitOffset",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Expertly Today API",
    "DESCRIPTION": "The API Claude drives its work loop through. Authenticate with X-API-Key.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/schema/ and /api/docs/ describe the API, not anyone's data: served without a key on every
    # host (the public one too). Every operation still declares the API-key security it needs.
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from vendored files (static/vendor/README.md), never a CDN: the docs work offline.
    "SWAGGER_UI_DIST": f"{STATIC_URL}vendor/swagger-ui-dist",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}vendor/swagger-ui-dist/favicon-32x32.png",
    # validatorUrl null: Swagger UI would otherwise send the schema's URL to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` (and `type`, `stage`) with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "apps.tasks.models.TaskStatus",
        "ProjectStatusEnum": "apps.tasks.models.ProjectStatus",
        "WaitingStatusEnum": "apps.tasks.models.WaitingStatus",
        "QuestionStatusEnum": "apps.questions.models.QuestionStatus",
        "ClientStatusEnum": "apps.people.models.ClientStatus",
        "DraftStatusEnum": "apps.drafts.models.DraftStatus",
        "DraftTypeEnum": "apps.drafts.models.DraftType",
        "PlaybookStatusEnum": "apps.playbooks.models.PlaybookStatus",
        "KnowledgeStatusEnum": "apps.knowledge.models.KnowledgeStatus",
        "SalesStageEnum": "apps.sales.models.Stage",
    },
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "activity.worker_heartbeat", "schedule": 30.0},
    # Fans out one job per tenant schema that materializes its due recurring tasks (apps/tasks/tasks.py).
    "recurring-materialize": {"task": "tasks.recurring_fan_out", "schedule": 60.0, "options": {"expires": 55}},
}

# --- Security defaults (tightened further in production) ------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less template tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
