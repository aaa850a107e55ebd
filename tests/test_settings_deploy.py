"""Production settings pass Django's deployment checklist with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS")}
    full_env.update(DJANGO_SETTINGS_MODULE="expertly.settings.production", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_passes_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=get_random_secret_key() * 2,
                     FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(), ALLOWED_HOSTS="app.expertly.today")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    result = _manage("check", FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    result = _manage("check", SECRET_KEY=get_random_secret_key() * 2)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
