"""`make faulttest`: nothing lost, nothing applied twice, nothing early, under broker and worker faults.

A Redis server of its own (a spare port, so it can be restarted and flushed without touching the
machine's), a PostgreSQL database of its own, a real Celery worker and beat, and a propagation delay
of a few seconds. While 200 role changes (with the 200 rights they need, in effect at once: only roles
wait for the propagation delay) and 200 mails are pending:
Redis is restarted, then flushed; the worker is killed with SIGKILL in the middle of sending; beat is
stopped for a while; two sweeps run at once. Then every propagation must be applied exactly once and
not before it was due, every mail sent (a duplicate shows by its Message-ID), nothing lost.

Run from the checkout: `.venv/bin/python -m faults.run` (PostgreSQL on 127.0.0.1:5432, trust auth).
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "faults"
DATABASE = os.environ.get("FAULT_DATABASE", "accessportal_faults")
PG = os.environ.get("FAULT_PG", "postgres://postgres@127.0.0.1:5432")
BATCH = 100  # two batches: 200 role changes, 200 mails
DELAY_SECONDS = 15
CONCURRENCY = 4
DEADLINE_SECONDS = 240


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


REDIS_PORT = spare_port()
ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DATABASE}",
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "ACCESSPORTAL_PROPAGATION_SECONDS": str(DELAY_SECONDS),
    "ACCESSPORTAL_OUTBOX_SWEEP_SECONDS": "2",
    "ACCESSPORTAL_OUTBOX_RETRY_SECONDS": "4",
    "EMAIL_BACKEND": "faults.mailbox.SlowFileBackend",
    "FAULT_MAILBOX_DIR": str(WORK / "mailbox"),
    "FAULT_MAIL_PAUSE": "0.05",
    "DJANGO_DEBUG": "1",
    "PYTHONPATH": str(ROOT),
    "DJANGO_SETTINGS_MODULE": "accessportal.settings",
}
os.environ.update(ENV)
BIN = Path(sys.executable).parent


def say(message: str) -> None:
    # UTC: Django's setup sets TZ to the portal's zone halfway through the run.
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


class Processes:
    """The services of the run, each restartable, all stopped at the end whatever happens."""

    def __init__(self):
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str]) -> None:
        log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.running[name] = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT
        )

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name, signal.SIGKILL if name != "redis" else signal.SIGTERM)


PROCESSES = Processes()


def redis_start() -> None:
    PROCESSES.start(
        "redis",
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
    )
    for _ in range(50):
        if (
            subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).stdout.strip()
            == b"PONG"
        ):
            return
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def redis_queue_length() -> int:
    out = subprocess.run(
        ["redis-cli", "-p", str(REDIS_PORT), "llen", "celery"], capture_output=True, text=True
    )
    return int(out.stdout.strip() or 0)


def worker_start() -> None:
    PROCESSES.start(
        "worker",
        [
            str(BIN / "celery"),
            "-A",
            "accessportal",
            "worker",
            "--pool=threads",
            f"--concurrency={CONCURRENCY}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
    )


def beat_start() -> None:
    PROCESSES.start(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "accessportal",
            "beat",
            "--loglevel=INFO",
            "-s",
            str(WORK / "beat-schedule"),
        ],
    )


def database_fresh() -> None:
    admin = f"{PG}/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=ENV, check=True
    )


def insz(number: int) -> str:
    """A valid national number of someone born in the 1980s."""
    from worlds.numbers import insz_number

    return insz_number(date(1980 + number % 10, 1 + number % 12, 1 + number % 28), 100 + number)


def enqueue_batch(first: int) -> None:
    """BATCH users with the E-loket right, a BelRAI role each, and BATCH mails, through the services."""
    from accessportal import clock
    from accessportal.outbox import mail_enqueue
    from identity.services import person_register
    from roles.models import Role
    from roles.services import role_assign
    from subdivisions.models import Subafdeling
    from users.services import user_add

    subafdeling = Subafdeling.objects.select_related("facility").get(
        facility__hco_number="19555", activation__hoedanigheid__code="residentiele-zorginstelling"
    )
    nina = subafdeling.activation.administrators.get(ended_at__isnull=True).person
    eloket = subafdeling.applications.get(code="e-loket-departement-zorg")
    role = Role.objects.get(name="BelRAI VL - admin")
    today = clock.today()
    for n in range(first, first + BATCH):
        person = person_register(
            insz=insz(n), last_name=f"Fout{n:03d}", first_name="Test", email=f"t{n}@faults.test"
        )
        user = user_add(
            actor=nina, subafdeling=subafdeling, person=person, email=person.email, applications=[eloket]
        )
        role_assign(actor=nina, user=user, role=role, start_date=today)
        mail_enqueue(
            to=person.email, subject=f"Fouttest {n}", body="Een mail die aan moet komen.", person=person
        )


def wait_until(condition, seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def mailbox_ids() -> Counter:
    ids = Counter()
    for path in (WORK / "mailbox").glob("*.eml"):
        ids[message_from_bytes(path.read_bytes())["Message-ID"]] += 1
    return ids


def tasks_in_flight() -> int:
    """Tasks the worker's log shows received but never finished."""
    log = (WORK / "worker.log").read_text(errors="replace")
    received = re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] received", log)
    finished = set(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] (?:succeeded|raised|failed)", log))
    return sum(1 for task in received if task not in finished)


def two_sweeps_at_once() -> list[str]:
    code = "import django; django.setup(); from accessportal.tasks import sweep_outbox; print(sweep_outbox())"
    sweeps = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    return [sweep.communicate(timeout=120)[0].strip() for sweep in sweeps]


def scenario() -> dict:
    import django

    django.setup()
    from django.db import connection

    from accessportal.models import OutboxMail, Propagation
    from worlds.demo import demo_world_load

    events = []

    def event(text):
        events.append(text)
        say(text)

    demo_world_load()
    connection.close()

    event(
        f"batch 1: {BATCH} users + rights (in effect), {BATCH} role changes, {BATCH} mails, no worker running"
    )
    enqueue_batch(0)
    event(f"broker queue holds {redis_queue_length()} messages; restarting Redis (it keeps nothing)")
    PROCESSES.stop("redis")
    redis_start()
    event(f"after the restart the queue holds {redis_queue_length()} messages")
    event(f"batch 2: {BATCH} more of each")
    enqueue_batch(BATCH)
    event(f"broker queue holds {redis_queue_length()} messages; FLUSHALL")
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "flushall"], check=True, capture_output=True)
    event(f"after the flush the queue holds {redis_queue_length()} messages")

    event("worker and beat start; the sweep finds what the broker lost")
    worker_start()
    beat_start()
    if not wait_until(lambda: len(list((WORK / "mailbox").glob("*.eml"))) >= 40, 90):
        raise RuntimeError("no mail left the outbox within 90 s")
    event(f"{len(list((WORK / 'mailbox').glob('*.eml')))} mails sent; kill -9 the worker while it is sending")
    PROCESSES.stop("worker", signal.SIGKILL)
    event(f"tasks the worker was running when it died: {tasks_in_flight()}")
    event("beat stops too, for twice the propagation delay: due changes wait")
    PROCESSES.stop("beat")
    time.sleep(2 * DELAY_SECONDS)
    pending_due = Propagation.objects.filter(applied_at=None, cancelled_at=None).count()
    event(f"{pending_due} propagations wait; two sweeps run at once")
    results = two_sweeps_at_once()
    event(f"the two sweeps applied/sent: {results}")
    connection.close()
    event("worker and beat start again")
    worker_start()
    beat_start()

    def settled():
        done = (
            not Propagation.objects.filter(applied_at=None, cancelled_at=None).exists()
            and not OutboxMail.objects.filter(sent_at=None).exists()
        )
        connection.close()
        return done

    settled_in_time = wait_until(settled, DEADLINE_SECONDS, step=1)
    event("everything settled" if settled_in_time else f"NOT settled after {DEADLINE_SECONDS} s")
    return {"events": events, "settled": settled_in_time}


def verify() -> dict:
    from django.db.models import F

    from accessportal.models import OutboxMail, Propagation, StructuredMessage
    from roles.models import RoleAssignment
    from users.models import ApplicationRight

    test_rights = ApplicationRight.objects.filter(user__person__last_name__startswith="Fout")
    test_roles = RoleAssignment.objects.filter(user__person__last_name__startswith="Fout")
    propagations = Propagation.objects.filter(
        created_at__gte=test_rights.order_by("created_at").first().created_at
    )
    right_propagations = Propagation.objects.filter(target_model="users.applicationright")
    mails = OutboxMail.objects.filter(recipient__endswith="@faults.test")
    in_mailbox = mailbox_ids()
    sent_ids = set(mails.values_list("message_id", flat=True))
    checks = {
        "role changes": test_roles.count(),
        "rights": test_rights.count(),
        "propagations (one per role change)": propagations.count(),
        "propagations of rights (rights take effect at once)": right_propagations.count(),
        "propagations still pending": propagations.filter(applied_at=None, cancelled_at=None).count(),
        "propagations applied before they were due": propagations.filter(applied_at__lt=F("due_at")).count(),
        "roles not in effect": test_roles.filter(effective_start_date=None).count(),
        "role notices (one structured message per role)": StructuredMessage.objects.filter(
            recipient__last_name__startswith="Fout", category="role"
        ).count(),
        "mails in the outbox (200 + 200 role notices)": mails.count(),
        "mails not marked sent": mails.filter(sent_at=None).count(),
        "mails never delivered": len(sent_ids - set(in_mailbox)),
        "mails delivered twice (by Message-ID)": sum(1 for i in sent_ids if in_mailbox[i] > 1),
    }
    expected = {
        "role changes": 2 * BATCH,
        "rights": 2 * BATCH,
        "propagations (one per role change)": 2 * BATCH,
        "propagations of rights (rights take effect at once)": 0,
        "propagations still pending": 0,
        "propagations applied before they were due": 0,
        "roles not in effect": 0,
        "role notices (one structured message per role)": 2 * BATCH,
        "mails in the outbox (200 + 200 role notices)": 4 * BATCH,
        "mails not marked sent": 0,
        "mails never delivered": 0,
    }
    # SMTP is not transactional: a worker killed after handing a mail over, before it recorded that,
    # sends it again on retry. At most one per thread that was sending; the Message-ID shows it.
    failures = [name for name, value in expected.items() if checks[name] != value]
    if checks["mails delivered twice (by Message-ID)"] > CONCURRENCY:
        failures.append("mails delivered twice (by Message-ID)")
    return {"checks": checks, "failures": failures}


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    for old in (WORK / "mailbox").glob("*.eml"):
        old.unlink()
    for log in WORK.glob("*.log"):
        log.unlink()
    try:
        say(
            f"Redis of its own on port {REDIS_PORT}; database {DATABASE}; propagation delay {DELAY_SECONDS} s"
        )
        redis_start()
        database_fresh()
        run = scenario()
        outcome = verify()
    finally:
        PROCESSES.stop_all()
    report = {**run, **outcome, "redis_port": REDIS_PORT, "delay_seconds": DELAY_SECONDS}
    (WORK / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    width = max(len(name) for name in outcome["checks"])
    print("\nfault test results")
    for name, value in outcome["checks"].items():
        mark = "FAIL" if name in outcome["failures"] else "ok"
        print(f"  {name:<{width}}  {value:>5}  {mark}")
    if outcome["failures"] or not run["settled"]:
        print(f"\nFAILED: {', '.join(outcome['failures']) or 'not settled'} (logs in {WORK})")
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
