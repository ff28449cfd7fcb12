"""`make classroom-check`: a classroom of 40 trainees, simulated, against the real classroom server.

    python deploy/classroom_check.py [--trainees 40] [--think 1.0] [--port PORT]

What a trainer would see on the day, measured:
1. starts `deploy/serve.py --classroom` (gunicorn, Celery worker and beat under supervisord) on a
   spare port, on a fresh embedded database under ``var/classroom-check/`` (or on ``DATABASE_URL`` /
   ``REDIS_URL`` when they are set: give it a scratch database);
2. a trainer (``manage.py createtrainer``) signs in, creates a classroom of N trainees with the
   scenario "Een Hoofdtoegangsbeheerder aanstellen" and waits for it to be built;
3. reads the trainees' cards (enterprise number, Rijksregisternummer, PIN-code) from the printed
   cards page;
4. N trainees (threads, each with its own session and cookies) start together: each signs in with
   the eID of their card, appoints themselves HTB (manual 3.2.2: start, registration, confirmation),
   then takes the first portal steps: "Werkgever", the enterprise, activates eHealth
   Gezondheidszorg (Volgende, Opslaan, Bevestigen) and adds a subafdeling with the VIPA
   authorisation, managed by themselves (Gebruikers - Subafdelingen, chapter 4 steps 5-9), with a
   think time between clicks;
5. meanwhile the trainer's dashboard polls as the browser does (every 3 s, htmx);
6. prints the requests, errors by kind, p50 / p95 / p99 latency (pages and form submits), how long
   the dashboard took to show each step after the trainee did it, what the server logged (tracebacks,
   "database is locked", processes that exited) and whether anything was lost (every step done for
   every trainee, every mail of the outbox sent).

It exits 1 when anything failed. Not part of `make test`: it takes a few minutes and measures.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
TRAINER = {"username": "klascontrole", "password": "Klascontrole-2026!"}
HTB_START = "/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/"
STEPS = ["htb", "hoedanigheid", "subafdeling"]  # what the trainees do, as the dashboard names them
DASHBOARD_LABELS = {
    "HTB aangesteld": "htb",
    "Hoedanigheid actief": "hoedanigheid",
    "Subafdeling actief": "subafdeling",
}
POLL_SECONDS = 3


# --- Measuring ------------------------------------------------------------------------------------


@dataclass
class Record:
    method: str
    path: str
    status: int
    seconds: float
    error: str = ""


@dataclass
class Results:
    records: list[Record] = field(default_factory=list)
    done_at: dict[tuple[int, str], float] = field(default_factory=dict)  # (trainee, step) → time
    shown_at: dict[tuple[int, str], float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


class Browser:
    """One person's browser: a session with cookies, every request measured."""

    def __init__(self, base: str, results: Results, label: str):
        self.base, self.results, self.label = base, results, label
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "nl-BE,nl;q=0.9"

    def request(self, method: str, path: str, expect=(200, 302), **kwargs) -> requests.Response:
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, allow_redirects=False, timeout=60, **kwargs
            )
        except requests.RequestException as error:
            self.results.add(Record(method, path, 0, time.perf_counter() - started, type(error).__name__))
            raise StepFailed(f"{self.label}: {method} {path}: {type(error).__name__}") from error
        seconds = time.perf_counter() - started
        error = "" if response.status_code in expect else f"HTTP {response.status_code}"
        self.results.add(Record(method, path, response.status_code, seconds, error))
        if error:
            raise StepFailed(f"{self.label}: {method} {path}: {error}")
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs) -> requests.Response:
        token = self.session.cookies.get("csrftoken", "")
        if isinstance(data, dict):
            data = list(data.items())
        return self.request("POST", path, data=[*data, ("csrfmiddlewaretoken", token)], **kwargs)


class StepFailed(Exception):
    pass


def location(response: requests.Response) -> str:
    target = response.headers.get("Location", "")
    if response.status_code != 302 or not target:
        raise StepFailed(f"expected a redirect, got {response.status_code} for {response.url}")
    return re.sub(r"^https?://[^/]+", "", target)


def field_value(page: str, name: str) -> str:
    """The value of the input ``name`` on the page ("" when it has none)."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if not tag:
        raise StepFailed(f"no field {name} on the page")
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def option_value(page: str, name: str, label: str) -> str:
    """The value of the choice of ``name`` (an option, radio button or checkbox) whose label starts
    with ``label``."""
    select = re.search(rf'<select[^>]*\bname="{name}".*?</select>', page, re.S)
    if select:
        for value, text in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)', select.group(0)):
            if unescape(text).strip().startswith(label):
                return value
    for tag, rest in re.findall(rf'(<input[^>]*\bname="{name}"[^>]*>)(.{{0,300}})', page, re.S):
        if label in re.sub(r"<[^>]+>", " ", rest)[:200]:
            return re.search(r'\bvalue="([^"]*)"', tag).group(1)
    raise StepFailed(f"no choice {label!r} for {name} on the page")


# --- The server ---------------------------------------------------------------------------------


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port: int, var_dir: Path):
        self.port, self.var_dir = port, var_dir
        self.log_path = var_dir / "server.log"
        self.env = {**os.environ, "ACCESSPORTAL_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"}
        self.process = None

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args[:1])} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        self.log = open(self.log_path, "w")  # noqa: SIM115 (open while the server runs)
        self.process = subprocess.Popen(
            [sys.executable, "deploy/serve.py", "--classroom", "--port", str(self.port)],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the classroom server stopped at start; see {self.log_path}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit(f"the classroom server did not answer within 3 minutes; see {self.log_path}")

    def supervisorctl(self, *args: str) -> str:
        env = {**self.env, "VENV_BIN": str(Path(sys.executable).parent)}
        command = [str(Path(sys.executable).parent / "supervisorctl"), "-c", "deploy/supervisord.conf", *args]
        return subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True).stdout

    def kill_worker(self) -> None:
        """The Celery worker dies (SIGKILL) mid-run; supervisord must restart it on its own."""
        pid = self.supervisorctl("pid", "worker").strip()
        if pid.isdigit():
            os.kill(int(pid), signal.SIGKILL)
            print(f"killed the Celery worker (pid {pid}) with SIGKILL", flush=True)

    def stop(self) -> bool:
        """Stop supervisord and everything it started; True when no process of it is left."""
        if self.process is None:
            return True
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        time.sleep(1)
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        return False


# --- The trainer and the trainees -----------------------------------------------------------------


def trainer_sign_in(browser: Browser) -> None:
    browser.get("/aanmelden/gebruikersnaam/")
    location(browser.post("/aanmelden/gebruikersnaam/", TRAINER))


def classroom_create(browser: Browser, size: int) -> str:
    browser.get("/opleiding/")
    response = browser.post("/opleiding/", {"name": "Klascontrole", "size": size, "scenario": "htb"})
    classroom = location(response)
    started = time.monotonic()
    while "De zandbakken worden klaargezet" in browser.get(classroom, headers={"HX-Request": "true"}).text:
        if time.monotonic() - started > 300:
            raise StepFailed("the classroom was not built within 5 minutes")
        time.sleep(1)
    print(f"classroom of {size} built in {time.monotonic() - started:.1f} s", flush=True)
    return classroom


def cards(browser: Browser, classroom: str) -> dict[int, dict]:
    page = browser.get(classroom + "kaarten/").text
    found = {}
    for article in re.findall(r'<article class="trainee-card".*?</article>', page, re.S):
        number = int(re.search(r'id="kaart-(\d+)"', article).group(1))
        numbers = re.findall(r'<dd class="number[^"]*">([^<]+)</dd>', article)
        pin = re.search(r'<dd class="number pin">(\d{4})</dd>', article).group(1)
        found[number] = {"kbo": numbers[0].strip(), "insz": numbers[1].strip(), "pin": pin}
    return found


def dashboard_steps(page: str) -> dict[int, set[str]]:
    """Which steps the dashboard shows as done, per trainee."""
    heads = re.findall(r'<th scope="col" class="step-head">\s*<span class="step-label">([^<]+)', page)
    keys = [DASHBOARD_LABELS.get(unescape(h).strip()) for h in heads]
    shown = {}
    for number, row in re.findall(r'<tr id="cursist-(\d+)"[^>]*>(.*?)</tr>', page, re.S):
        cells = re.findall(r'<td class="step (\w+)', row)
        shown[int(number)] = {key for key, cell in zip(keys, cells, strict=False) if key and cell == "done"}
    return shown


def dashboard_poll(browser: Browser, classroom: str, results: Results, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            page = browser.get(f"{classroom}?acties=behouden", headers={"HX-Request": "true"}).text
        except StepFailed as failure:
            results.failures.append(str(failure))
        else:
            now = time.monotonic()
            for number, steps in dashboard_steps(page).items():
                for step in steps:
                    results.shown_at.setdefault((number, step), now)
        stop.wait(POLL_SECONDS)


def trainee(number: int, card: dict, base: str, results: Results, start: threading.Barrier, think: float):
    browser = Browser(base, results, f"cursist {number}")
    pause = lambda: time.sleep(random.uniform(0.5 * think, 1.5 * think))  # noqa: E731
    done = lambda step: results.done_at.__setitem__((number, step), time.monotonic())  # noqa: E731
    start.wait()
    try:
        # Sign in with the card's eID (manual 3.2.2), then the HTB procedure.
        browser.get("/aanmelden/eid/")
        pause()
        browser.post("/aanmelden/eid/?next=" + HTB_START, {"insz": card["insz"], "pin": card["pin"]})
        browser.get(HTB_START)
        pause()
        registration = location(browser.post(HTB_START, {"kbo": card["kbo"]}))
        browser.get(registration)
        pause()
        answers = {
            "choice": "SELF",
            "requester_email": f"htb{number}@oefenzorg.test",
            "requester_phone": "02 123 45 67",
        }
        confirmation = location(browser.post(registration, answers))
        browser.get(confirmation)
        pause()
        appointed = location(browser.post(confirmation, {"confirm": "on"}))
        browser.get(appointed)
        done("htb")
        pause()
        # The portal: "Werkgever", the enterprise, activate eHealth Gezondheidszorg.
        browser.get("/toegangsbeheer/")
        welcome = location(browser.post("/toegangsbeheer/", {"quality": "werkgever"}))
        kbo = re.sub(r"\D", "", card["kbo"])
        browser.get(f"{welcome}?onderneming={kbo}")
        pause()
        enterprise = f"/toegangsbeheer/ondernemingen/{kbo}/"
        browser.get(enterprise)
        activate = f"{enterprise}hoedanigheid-activeren/"
        form = browser.get(activate, params={"hoedanigheid": "ehealth-gezondheidszorg"}).text
        pause()
        email = field_value(form, "email") or f"ehealth{number}@oefenzorg.test"
        overview = browser.post(
            activate, {"hoedanigheid": "ehealth-gezondheidszorg", "email": email, "action": "opslaan"}
        ).text
        pause()
        hoedanigheid = location(
            browser.post(
                activate,
                {
                    "hoedanigheid": "ehealth-gezondheidszorg",
                    "answers": field_value(overview, "answers"),
                    "action": "bevestigen",
                },
            )
        )
        browser.get(hoedanigheid)
        done("hoedanigheid")
        pause()
        # "Gebruikers - Subafdelingen": add the trainee's HUIZE with the VIPA authorisation.
        subafdelingen = f"{hoedanigheid}subafdelingen/"
        browser.get(subafdelingen)
        add = f"{subafdelingen}toevoegen/?type=gezondheidszorg"
        choice = browser.get(add).text
        pause()
        listing = option_value(choice, "listing", "HUIZE")
        details = location(browser.post(add, {"listing": listing}))
        browser.get(details)
        pause()
        applications = location(
            browser.post(details, {"email": f"huize{number}@oefenzorg.test", "beheer": "zelf"})
        )
        page = browser.get(applications).text
        pause()
        vipa = option_value(page, "applications", "Vlaams Infrastructuurfonds")
        confirm = location(browser.post(applications, [("applications", vipa)]))
        browser.get(confirm)
        pause()
        browser.get(location(browser.post(confirm, {})))
        done("subafdeling")
    except StepFailed as failure:
        results.failures.append(f"cursist {number}: {failure}")


# --- The report ------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency_line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"  {name:<16} {len(ms):>6} requests   p50 {percentile(ms, 0.5):7.0f} ms   "
        f"p95 {percentile(ms, 0.95):7.0f} ms   p99 {percentile(ms, 0.99):7.0f} ms   max {max(ms, default=0):7.0f} ms"
    )


def server_findings(log: str) -> Counter:
    findings = Counter()
    findings["tracebacks"] = log.count("Traceback (most recent call last)")
    findings['"database is locked"'] = log.count("database is locked")
    findings["processes exited unexpectedly"] = len(
        re.findall(r"exited: \w+ \(terminated by SIGKILL|exited: \w+ \(exit status [^0]", log)
    )
    findings["server errors logged"] = len(re.findall(r"Internal Server Error", log))
    return findings


def outbox_state(server: Server) -> dict:
    script = (
        "import json; from accessportal.models import OutboxMail; "
        "print(json.dumps({'mails': OutboxMail.objects.count(), "
        "'mails not sent': OutboxMail.objects.filter(sent_at=None).count()}))"
    )
    return json.loads(server.manage("shell", "-c", script).strip().splitlines()[-1])


def trainer_ensure(server: Server) -> None:
    script = f"from identity.models import Person; print(Person.objects.filter(username={TRAINER['username']!r}).exists())"
    if server.manage("shell", "-c", script).strip().endswith("False"):
        server.manage(
            "createtrainer", "--username", TRAINER["username"], "--first-name", "Klas",
            "--last-name", "Controle", "--password", TRAINER["password"],
        )  # fmt: skip


@dataclass
class Run:
    results: Results
    cards: dict[int, dict]
    elapsed: float
    outbox: dict
    processes: str


def classroom_run(server: Server, options) -> Run:
    """The trainer prepares the classroom; the trainees work at once while the dashboard polls."""
    results, stop = Results(), threading.Event()
    base = f"http://127.0.0.1:{server.port}"
    trainer = Browser(base, Results(), "opleider")
    trainer_sign_in(trainer)
    classroom = classroom_create(trainer, options.trainees)
    trainee_cards = cards(trainer, classroom)
    dashboard = Browser(base, results, "dashboard")
    dashboard.session.cookies.update(trainer.session.cookies)
    poller = threading.Thread(target=dashboard_poll, args=(dashboard, classroom, results, stop))
    barrier = threading.Barrier(len(trainee_cards))
    threads = [
        threading.Thread(target=trainee, args=(n, card, base, results, barrier, options.think))
        for n, card in sorted(trainee_cards.items())
    ]
    started = time.monotonic()
    poller.start()
    for thread in threads:
        thread.start()
    try:
        if options.kill_worker:
            time.sleep(8 * options.think)
            server.kill_worker()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        time.sleep(POLL_SECONDS * 2 + 1)  # the dashboard's last polls
    finally:
        stop.set()
        poller.join()
    time.sleep(5)  # the worker sends the last mails
    return Run(results, trainee_cards, elapsed, outbox_state(server), server.supervisorctl("status"))


def report(run: Run, server: Server, options, all_stopped: bool) -> bool:
    records = run.results.records
    polls = [r for r in records if r.path.endswith("?acties=behouden")]
    trainees_only = [r for r in records if r not in polls]
    errors = Counter(r.error for r in records if r.error)
    rate = len(records) / run.elapsed
    print(f"\n{len(records)} requests in {run.elapsed:.0f} s ({rate:.1f}/s), think time {options.think} s")
    print(latency_line("pages (GET)", [r.seconds for r in trainees_only if r.method == "GET"]))
    print(latency_line("submits (POST)", [r.seconds for r in trainees_only if r.method == "POST"]))
    print(latency_line("all trainees'", [r.seconds for r in trainees_only]))
    print(latency_line("dashboard polls", [r.seconds for r in polls]))
    print("errors by kind:", dict(errors) or "none")
    print("trainees' failures:", len(run.results.failures))
    for failure in run.results.failures[:10]:
        print("   ", failure)
    print("time until the dashboard showed a step:")
    done_at, shown_at = run.results.done_at, run.results.shown_at
    for step in STEPS:
        done = [key for key in done_at if key[1] == step]
        lags = [shown_at[key] - done_at[key] for key in done if key in shown_at]
        print(
            f"  {step:<13} done by {len(done):>2}/{len(run.cards)}   "
            f"shown p50 {statistics.median(lags) if lags else 0:5.1f} s   max {max(lags, default=0):5.1f} s   "
            f"never shown {len(done) - len(lags)}"
        )
    findings = server_findings(server.log_path.read_text(errors="replace"))
    if options.kill_worker:  # the one killed on purpose
        findings["processes exited unexpectedly"] -= 1
    print("server log:", dict(findings))
    print("outbox:", run.outbox)
    print(
        "processes at the end:", " · ".join(" ".join(line.split()[:2]) for line in run.processes.splitlines())
    )
    print("every process stopped:", all_stopped)
    complete = all((n, step) in done_at and (n, step) in shown_at for n in run.cards for step in STEPS)
    return (
        not errors
        and not run.results.failures
        and complete
        and not any(findings.values())
        and run.outbox["mails not sent"] == 0
        and run.processes.count("RUNNING") == 3
        and all_stopped
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a trainee's clicks")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--kill-worker", action="store_true", help="kill the Celery worker halfway: the portal must go on"
    )
    options = parser.parse_args()

    var_dir = BASE_DIR / "var" / "classroom-check"
    if not os.environ.get("DATABASE_URL"):
        shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True, exist_ok=True)
    server = Server(options.port or spare_port(), var_dir)
    backend = (
        "PostgreSQL + Redis" if os.environ.get("DATABASE_URL") else "embedded SQLite + filesystem broker"
    )
    print(f"classroom check: {options.trainees} trainees, {backend}, port {server.port}", flush=True)
    server.manage("migrate", "--noinput", "--verbosity", "0")
    trainer_ensure(server)
    server.start()
    try:
        run = classroom_run(server, options)
    finally:
        all_stopped = server.stop()
    ok = report(run, server, options, all_stopped)
    print("\nRESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
