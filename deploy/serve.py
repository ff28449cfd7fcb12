"""`make run` and `make classroom`: prepare the database and serve the portal with its worker and beat.

    python deploy/serve.py [--classroom] [--host HOST] [--port PORT]

Both migrate, load the demo world and start three processes under supervisord
(deploy/supervisord.conf): gunicorn (deploy/gunicorn.conf.py), a Celery worker and Celery beat, each
restarted on its own when it stops; Ctrl-C stops them all. Without ``DATABASE_URL`` / ``REDIS_URL``
they run on the embedded default: SQLite and the filesystem broker under ``var/``.

``--classroom`` (or a host that is not loopback) serves a room of trainees on the local network:
every address of the machine on port PORT, production settings (DEBUG off, so no tracebacks for
trainees and hashed static files; plain HTTP, as a classroom network has no certificate), a secret
key generated once into ``var/secret-key``, demo mode on (the trainer's mailbox, personas and demo
reload), the machine's LAN address as the address printed on the trainer's page and on every card
(``ACCESSPORTAL_CLASSROOM_URL``) and mails on the worker's console unless ``EMAIL_BACKEND`` says
otherwise. Environment variables that are already set win over these defaults.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def lan_address() -> str | None:
    """The address other machines on the local network reach this one at: the source address of
    the route to a public address (a UDP socket's connect sends nothing)."""
    for probe in ("192.0.2.1", "10.255.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((probe, 9))
            except OSError:
                continue
            address = sock.getsockname()[0]
            if not address.startswith("127."):
                return address
    return None


def secret_key(var_dir: Path) -> str:
    """The classroom server's secret key: made once, kept in var/ (never in the code)."""
    path = var_dir / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def classroom_environment(env: dict, var_dir: Path, port: int) -> tuple[dict, str]:
    address = lan_address() or "127.0.0.1"
    url = f"http://{address}:{port}/"
    hosts = {address, socket.gethostname(), "localhost", "127.0.0.1", "[::1]"}
    defaults = {
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secret_key(var_dir),
        "DJANGO_ALLOWED_HOSTS": ",".join(sorted(hosts)),
        "ACCESSPORTAL_DEMO_MODE": "1",
        "ACCESSPORTAL_CLASSROOM_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    return {**defaults, **env}, env.get("ACCESSPORTAL_CLASSROOM_URL", url)


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def banner(url: str, classroom: bool) -> None:
    lines = [f"accessportal: {url}"]
    if classroom:
        lines.append("Trainees type this address (or scan the QR code on the trainer's page or card).")
    lines.append("Ctrl-C stops the web server, the worker and beat.")
    print("\n".join(["", *lines, ""]), flush=True)
    if classroom:
        try:
            import segno

            segno.make(url, error="m").terminal(compact=True)
        except ImportError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classroom", action="store_true", help="serve a room on the local network")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    options = parser.parse_args()
    classroom = options.classroom or (options.host not in (None, *LOOPBACK))
    host = options.host or ("0.0.0.0" if classroom else "127.0.0.1")  # noqa: S104 (a classroom's LAN)

    var_dir = Path(os.environ.get("ACCESSPORTAL_VAR_DIR") or BASE_DIR / "var").resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ACCESSPORTAL_VAR_DIR": str(var_dir), "VENV_BIN": str(Path(sys.executable).parent)}
    url = f"http://127.0.0.1:{options.port}/"
    if classroom:
        env, url = classroom_environment(env, var_dir, options.port)
    env["WEB_BIND"] = f"{host}:{options.port}"

    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")
    if env.get("DJANGO_DEBUG", "1") in ("0", "false", "no", "off"):
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    banner(url, classroom)
    supervisord = Path(sys.executable).parent / "supervisord"
    config = BASE_DIR / "deploy" / "supervisord.conf"
    os.chdir(BASE_DIR)
    os.execve(supervisord, [str(supervisord), "--configuration", str(config)], env)  # noqa: S606


if __name__ == "__main__":
    main()
