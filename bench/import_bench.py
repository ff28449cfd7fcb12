# ruff: noqa: S603, S607
# (runs the project's own manage.py and PostgreSQL's createdb with fixed arguments)
"""``make bench-import``: "Gebruikers importeren" of 2,000 new users on PostgreSQL (issue 19).

1. The database: DATABASE_URL when set, else ``accessportal_import_bench`` on 127.0.0.1:5432 (user
   postgres, trust auth; created when missing, kept between runs), migrated.
   Production settings (DJANGO_DEBUG=0), as the worker runs.
2. A fresh enterprise with a subafdeling (E-loket and VIPA authorised) and its subafdelingsbeheerder,
   and 2,000 people in the register, with numbers no earlier run used.
3. The CSV of 2,000 rows (INSZ, E-mailadres, Taalkeuze, both applications), as an access manager
   uploads it; timed: the dry run (users.imports.user_import_check), then "Bevestigen" and the task
   (user_import_confirm; Celery runs eagerly here, so the task runs in this process on the commit, as
   the worker would: one transaction per row through users.services, audited, the summary mail in the
   outbox). Then the task once more, as a redelivery: it must do nothing.
4. Prints the figures and checks the result (2,000 users with two rights each, one mail); exits 1
   when the import took more than the target (BENCH_IMPORT_TARGET, 60 s) or the result is wrong.

BENCH_IMPORT_ROWS changes the number of rows (at most users.import_files.MAX_ROWS).
"""

import io
import os
import secrets
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "accessportal_import_bench"
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DEFAULT_DATABASE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accessportal.settings")
# Production settings, as the Celery worker runs (DEBUG would keep every SQL query in memory).
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # no SMTP server here
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the mail's relay runs inline; the import is timed itself
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "2000"))
TARGET_SECONDS = float(os.environ.get("BENCH_IMPORT_TARGET", "60"))


def _database_ready() -> None:
    url = os.environ["DATABASE_URL"]
    if url.endswith(f"/{DEFAULT_DATABASE}"):
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", DEFAULT_DATABASE],
            capture_output=True,
            check=False,
        )
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], check=True)


def _world(offset: int):
    """An enterprise, its subafdeling with E-loket and VIPA, its subafdelingsbeheerder."""
    from administrators import services as administrators
    from enterprises import services as enterprises
    from enterprises.models import Application, Enterprise, Hoedanigheid, SubdivisionType
    from identity.models import Person
    from subdivisions import services as subdivisions
    from worlds.catalogue import catalogue_ensure
    from worlds.numbers import kbo_number

    catalogue_ensure()
    enterprise = Enterprise.objects.create(
        kbo=kbo_number(8_000_000 + offset // 10_000),
        name=f"VZW IMPORTBENCH {offset}",
        legal_form="VZW",
        street="Teststraat 1",
        postal_code="1000",
        city="Brussel",
        email=f"info{offset}@importbench.be",
    )
    legal_rep, htb, sb = (
        Person.objects.create_user(
            _insz(offset, n),
            first_name=name,
            last_name="Bench",
            email=f"{name.lower()}{offset}@importbench.be",
        )
        for n, name in enumerate(("Vertegenwoordiger", "Hoofdbeheerder", "Subafdelingsbeheerder"))
    )
    start = date(2015, 1, 1)
    enterprises.legal_mandate_add(
        enterprise=enterprise, person=legal_rep, function="Bestuurder", start_date=start
    )
    for person in (htb, sb):
        enterprises.employment_add(enterprise=enterprise, person=person, start_date=start)
    gz = SubdivisionType.objects.get(code="gezondheidszorg")
    hco = str(9_000_000 + offset // 10_000)
    facility = enterprises.facility_register(
        enterprise=enterprise,
        hco_number=hco,
        name=f"IMPORTBENCH {offset}",
        listings={gz: f"IMPORTBENCH ({hco})"},
    )
    administrators.htb_appoint(
        actor=legal_rep, enterprise=enterprise, person=htb, email=htb.email, phone="02 555 00 00"
    )
    activation = administrators.hoedanigheid_activate(
        actor=htb,
        enterprise=enterprise,
        hoedanigheid=Hoedanigheid.objects.get(code="ehealth-gezondheidszorg"),
    )
    subafdeling = subdivisions.subafdeling_activate(
        actor=htb,
        activation=activation,
        facility=facility,
        subdivision_type=gz,
        email=f"sub{hco}@importbench.be",
        applications=list(Application.objects.filter(code__in=["e-loket-departement-zorg", "vipa"])),
        administrator=sb,
    )
    return subafdeling, sb


def _insz(offset: int, n: int) -> str:
    """The (offset + n)-th valid national number after the other worlds' (tests.numbers' scheme)."""
    from datetime import timedelta

    from training.numbers import insz_number

    index = 3_000_000 + offset + n
    return insz_number(date(1930, 1, 1) + timedelta(days=index // 998), index % 998 + 1)


def _people(offset: int, count: int) -> list:
    from identity.models import Person

    people = [
        Person(insz=_insz(offset, 10 + n), first_name=f"Persoon{n}", last_name="Importbench", email="")
        for n in range(count)
    ]
    return Person.objects.bulk_create(people, batch_size=1000)


def _csv(people) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["INSZ", "E-mailadres", "Lokaal e-mailadres", "Taalkeuze", "Beveiligde toepassingen"])
    for n, person in enumerate(people):
        writer.writerow(
            [person.insz, f"persoon{n}@importbench.be", "", "nl", "E-loket Departement Zorg, vipa"]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main() -> int:
    _database_ready()
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from accessportal.models import OutboxMail
    from enterprises.models import Enterprise
    from users import imports
    from users.models import ApplicationRight, ImportStatus, SubafdelingUser

    print(f"== database {connection.settings_dict['NAME']} ({connection.vendor})", flush=True)
    run = Enterprise.objects.filter(name__startswith="VZW IMPORTBENCH").count()
    offset = run * 10_000  # each run's own people, enterprise, HCO number
    subafdeling, manager = _world(offset)
    people = _people(offset, ROWS)
    content = _csv(people)
    print(f"== {ROWS} rows, {len(content) / 1024:.0f} KB; subafdeling {subafdeling.pk}", flush=True)

    started, cpu_started = time.perf_counter(), time.process_time()
    user_import = imports.user_import_check(
        actor=manager, subafdeling=subafdeling, upload=SimpleUploadedFile("bench.csv", content)
    )
    checked = time.perf_counter()
    imports.user_import_confirm(actor=manager, user_import=user_import)  # eager: the task runs on commit
    finished, cpu = time.perf_counter(), time.process_time() - cpu_started
    again = imports.user_import_run(user_import_id=user_import.pk)  # a task delivered twice does nothing
    done_rows = user_import.rows.filter(done_at__isnull=False).count()

    user_import.refresh_from_db()
    users = SubafdelingUser.objects.filter(subafdeling=subafdeling).count()
    rights = ApplicationRight.objects.filter(subafdeling=subafdeling).count()
    mails = OutboxMail.objects.filter(person=manager, subject__contains=subafdeling.name).count()
    dry, run, total = checked - started, finished - checked, finished - started
    print(f"dry run (check {ROWS} rows):      {dry:6.1f} s", flush=True)
    print(
        f"Bevestigen + task ({done_rows} rows): {run:6.1f} s  ({run / max(done_rows, 1) * 1000:.1f} ms per row)"
    )
    print(f"total:                          {total:6.1f} s  (target {TARGET_SECONDS:.0f} s)")
    load = os.getloadavg()[0]
    print(
        f"CPU of this process: {cpu:.1f} s; load average {load:.1f} on {os.cpu_count()} cores during the run"
    )
    print(f"result: {users} users, {rights} rights, {mails} summary mail, status {user_import.status}")
    correct = (
        again == 0
        and users == ROWS
        and rights == 2 * ROWS
        and mails == 1
        and user_import.status == ImportStatus.KLAAR
    )
    if not correct:
        print("FAILED: the import did not write what the file asked", file=sys.stderr)
        return 1
    if total > TARGET_SECONDS:
        print(f"FAILED: {total:.1f} s is over the target of {TARGET_SECONDS:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
