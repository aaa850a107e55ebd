"""WSGI entry point (the app is normally served over ASGI: see asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertly.settings.development")

application = get_wsgi_application()
