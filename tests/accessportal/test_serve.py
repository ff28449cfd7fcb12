"""`make run` / `make classroom` (deploy/serve.py, deploy/supervisord.conf): what they start and with
which settings. The classroom itself under load is `make classroom-check`, not a test."""

import importlib.util
import ipaddress
import stat
from pathlib import Path

from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ServerOptions

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def serve_module():
    spec = importlib.util.spec_from_file_location("serve", DEPLOY / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_classroom_runs_with_production_settings_on_the_lan_address(tmp_path, monkeypatch):
    serve = serve_module()
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.10.23")
    env, url = serve.classroom_environment({}, tmp_path, 8000)
    assert url == "http://192.168.10.23:8000/" == env["ACCESSPORTAL_CLASSROOM_URL"]
    assert env["DJANGO_DEBUG"] == "0" and env["DJANGO_HTTPS"] == "0"
    assert env["ACCESSPORTAL_DEMO_MODE"] == "1"
    assert "192.168.10.23" in env["DJANGO_ALLOWED_HOSTS"].split(",")
    key = tmp_path / "secret-key"
    assert env["DJANGO_SECRET_KEY"] == key.read_text() and len(key.read_text()) >= 50
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    again, _url = serve.classroom_environment({}, tmp_path, 8000)
    assert again["DJANGO_SECRET_KEY"] == env["DJANGO_SECRET_KEY"]  # made once, kept


def test_variables_already_set_win(tmp_path, monkeypatch):
    serve = serve_module()
    monkeypatch.setattr(serve, "lan_address", lambda: None)
    given = {"ACCESSPORTAL_CLASSROOM_URL": "http://klas.local:8000/", "EMAIL_BACKEND": "smtp"}
    env, url = serve.classroom_environment(given, tmp_path, 8000)
    assert url == "http://klas.local:8000/" and env["EMAIL_BACKEND"] == "smtp"


def test_the_lan_address_is_never_loopback():
    address = serve_module().lan_address()
    assert address is None or not ipaddress.ip_address(address).is_loopback


def test_supervisord_restarts_each_process_on_its_own_and_stops_them_all(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCESSPORTAL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("VENV_BIN", "/venv/bin")
    options = ServerOptions()
    options.realize(args=["-c", str(DEPLOY / "supervisord.conf")])
    programs = {group.name: group.process_configs[0] for group in options.process_group_configs}
    assert set(programs) == {"web", "worker", "beat"}
    assert programs["web"].command.startswith("/venv/bin/gunicorn accessportal.wsgi")
    for config in programs.values():
        assert (
            config.autorestart is RestartUnconditionally
        )  # a worker's fault never takes the web server down
        assert config.stopasgroup and config.killasgroup  # Ctrl-C leaves nothing behind
