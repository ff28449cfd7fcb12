"""The settings module, read in fresh processes with the environment of each setup."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'pool': db.get('OPTIONS', {}).get('pool'),"
    " 'broker': settings.CELERY_BROKER_URL, 'cache': settings.CACHES['default']['BACKEND'],"
    " 'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE, 'debug': settings.DEBUG,"
    " 'mailer': settings.MAILERS['default']['BACKEND'], 'demo': settings.DEMO_MODE,"
    " 'secret': bool(settings.SECRET_KEY)}))"
)


def run(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "ACCESSPORTAL_DEMO_MODE"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "accessportal.settings", **env_overrides})
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def probe(env: dict) -> dict:
    result = run(env, sys.executable, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default(tmp_path):
    values = probe({"ACCESSPORTAL_VAR_DIR": str(tmp_path)})
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["broker"] == "filesystem://"
    assert values["cache"].endswith("FileBasedCache")
    assert values["tz"] == "Europe/Brussels"
    assert values["lang"] == "nl"
    assert values["mailer"].endswith("console.EmailBackend")


def test_postgresql_with_pool_and_redis():
    values = probe(
        {"DATABASE_URL": "postgres://u:p@db.example:5432/portal", "REDIS_URL": "redis://cache.example:6379/0"}
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["pool"]["max_size"] >= 1
    assert values["broker"] == "redis://cache.example:6379/0"
    assert values["cache"].endswith("RedisCache")


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = run(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "toegang.example.be",
            "ACCESSPORTAL_VAR_DIR": str(tmp_path),
        },
        sys.executable,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_development_defaults(tmp_path):
    result = run(
        {"DJANGO_DEBUG": "0", "ACCESSPORTAL_VAR_DIR": str(tmp_path)},
        sys.executable,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def production(tmp_path, **extra) -> dict:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "toegang.example.be",
        "ACCESSPORTAL_VAR_DIR": str(tmp_path),
        **extra,
    }


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, secret):
    env = production(tmp_path)
    if secret is None:
        del env["DJANGO_SECRET_KEY"]
    else:
        env["DJANGO_SECRET_KEY"] = secret
    for command in ([sys.executable, "-c", PROBE], [sys.executable, "manage.py", "check"]):
        result = run(env, *command)
        assert result.returncode != 0
        assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def test_development_keeps_its_fallback_key_and_demo_mode(tmp_path):
    values = probe({"ACCESSPORTAL_VAR_DIR": str(tmp_path)})
    assert values["debug"] is True
    assert values["secret"] is True
    assert values["demo"] is True
    assert probe({"ACCESSPORTAL_VAR_DIR": str(tmp_path), "ACCESSPORTAL_DEMO_MODE": "0"})["demo"] is False


def test_production_has_no_demo_mode_unless_asked(tmp_path):
    assert probe(production(tmp_path))["demo"] is False
    assert probe(production(tmp_path, ACCESSPORTAL_DEMO_MODE=""))["demo"] is False
    assert probe(production(tmp_path, ACCESSPORTAL_DEMO_MODE="1"))["demo"] is True


def test_check_deploy_warns_about_demo_mode(tmp_path):
    command = (sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    result = run(production(tmp_path, ACCESSPORTAL_DEMO_MODE="1"), *command)
    assert result.returncode != 0
    assert "accessportal.W001" in result.stdout + result.stderr
    quiet = run(production(tmp_path), *command)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
