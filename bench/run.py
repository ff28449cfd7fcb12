# ruff: noqa: S603, S607, S310
# (tooling that starts the project's own services, psql, wrk and gunicorn with fixed arguments, and
# opens only the loopback URL of the gunicorn it started)
"""``make bench``: speed at scale, as ratios against a minimal Django view on the same stack.

1. Tools: wrk (Debian's ``wrk``, installed with apt-get when missing and run as root), PostgreSQL on
   127.0.0.1:5432 (trust auth, user postgres) and Redis on 127.0.0.1:6379, started the way .ci/run
   starts them when they do not answer.
2. The database ``accessportal_bench`` (created when missing, kept between runs), migrated; the
   scale world (``manage.py seed_scale``: 1,000 enterprises, 10,000 subafdelingen, 200,000 users,
   500,000 roles; about a minute with COPY) is loaded once and recognised on later runs; then
   VACUUM (ANALYZE), as autovacuum would have done on a production database.
3. ``collectstatic`` (DEBUG off: whitenoise's manifest) and bench/prepare.py: the subjects, their
   sessions and tokens, and the SQL queries per page, measured in-process.
4. gunicorn with production settings (DJANGO_DEBUG=0, plain HTTP on loopback) on a spare port,
   2 x cores sync workers, against the bench database and Redis database 14; stopped at the end,
   also on failure, Ctrl-C or SIGTERM.
5. Per page, from wrk's own process: saturation runs (BENCH_CONNECTIONS connections, as fast as the
   server answers) in BENCH_ROUNDS rounds over every page, with a run of the floor before each round
   and after the last. A page's ratio in a round is to the mean of the floor runs on either side of
   it; the page's figures (throughput, ratio, latency under saturation) are its median round's. Then,
   after one more floor run, each page at half its saturation as the machine is then (half of its
   ratio times that floor run) for the p95 target. wrk2 is not packaged, so the
   rate comes from wrk's ``delay()`` hook in bench/wrk.lua: each connection waits for the next slot
   of a fixed schedule (an open-loop approximation; latency is measured from the moment a request is
   sent, so a server that falls behind shows it in the throughput more than in the latency).
6. Each page's instructions per request, counted in-process by valgrind's callgrind
   (bench/instructions.py; valgrind installed with apt-get when missing): the one figure that does
   not move with the machine's load.
7. A table on the console and bench/results.json (date, git commit, cores, duration, connections,
   the numbers per page), compared with the previous results.json when there is one.

The bench shares the machine's cores with everything else: it waits (BENCH_QUIET_WAIT, 120 s) for
other processes to use less than 15 % of the CPU, measures each ratio against floor runs less
than a minute before and after it (step 5), and records the background load in results.json.

Environment: BENCH_ROUNDS (3), BENCH_ROUND_SECONDS (5 per saturation run), BENCH_SECONDS (10 per
half-saturation run), BENCH_CONNECTIONS (2 x workers), BENCH_WORKERS (2 x cores), BENCH_THREADS (1:
sync workers; more: gthread), BENCH_PAGES (comma-separated keys to run only those pages; the floor
always runs), BENCH_RESULTS (bench/results.json), BENCH_INSTRUCTIONS (1: count the instructions,
about two minutes; 0: not), BENCH_WORLD (1; 10 loads a world ten times larger into
accessportal_bench10, once, writes bench/results-world10.json and compares each page's in-process
median and queries with the normal world's bench/results.json: at most 1.5 x),
BENCH_TIMED_REQUESTS (30 in-process requests per page for the median, as many profiled).
"""

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

try:  # run as bench/run.py: its folder is first on sys.path
    import instructions
except ImportError:  # imported as bench.run (the tests)
    from bench import instructions

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SCRATCH = BENCH / ".scratch"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
# BENCH_WORLD=10: a world ten times larger (10,000 enterprises, 2,000,000 users, 5,000,000 role
# assignments), loaded once into a database of its own, to show that no page's cost grows with it.
WORLD = int(os.environ.get("BENCH_WORLD", "1"))
DATABASE = os.environ.get("BENCH_DATABASE", "accessportal_bench" + (str(WORLD) if WORLD != 1 else ""))
NORMAL_RESULTS = BENCH / "results.json"
RESULTS = Path(
    os.environ.get("BENCH_RESULTS", NORMAL_RESULTS if WORLD == 1 else BENCH / f"results-world{WORLD}.json")
)
WORLD_GROWTH_LIMIT = 1.5  # issue 18: no page may cost more than 1.5 x its cost in the normal world
REDIS_URL = "redis://127.0.0.1:6379/14"

CORES = os.cpu_count() or 1
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "3")))
ROUND_SECONDS = max(1, int(os.environ.get("BENCH_ROUND_SECONDS", "5")))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * CORES)))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", str(2 * WORKERS)))
WRK_THREADS = 1  # one event loop drives every connection; the cores are for the server
WARMUP_SECONDS = 2
DAYS_PER_THREAD = 100_000  # POST days a wrk thread may use in one run (wrk.lua's days_per_thread)

# Issue 18's targets per page: (ratio to the floor, p95 at half saturation in ms, queries).
TARGETS = {
    "floor": (1.0, 20, 0),
    "portal-home": (0.15, 20, 6),
    "subafdelingen": (0.12, 20, 8),
    "role-editor": (0.12, 20, 8),
    "users": (0.10, 25, 8),
    "users-search": (0.08, 25, 8),
    "role-add": (0.10, 25, 10),
    "access-api": (0.35, 5, 3),
}
QUIET_PERCENT = 15
COUNT_INSTRUCTIONS = os.environ.get("BENCH_INSTRUCTIONS", "1") != "0"


def say(message: str) -> None:
    print(f"== {message}", flush=True)


def run(command: list[str], *, env: dict | None = None, capture: bool = False, check: bool = True) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env, check=False, text=True, capture_output=capture, stdin=subprocess.DEVNULL
    )
    if check and result.returncode != 0:
        detail = f"\n{result.stdout}\n{result.stderr}" if capture else ""
        raise SystemExit(f"Failed ({result.returncode}): {' '.join(command)}{detail}")
    return result.stdout if capture else ""


# --- 1. tools and services ---------------------------------------------------------------------


def apt_install(*packages: str) -> None:
    if os.geteuid() != 0:
        raise SystemExit(f"Please install: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-q"], env=env)
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages], env=env)


def ensure_services() -> None:
    if not shutil.which("wrk"):
        say("Installing wrk")
        apt_install("wrk")
    if COUNT_INSTRUCTIONS and not instructions.available():
        say("Installing valgrind")
        apt_install("valgrind")
    if not shutil.which("pg_isready"):
        apt_install("postgresql", "postgresql-client")
    if subprocess.run(["pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT], check=False).returncode != 0:
        say("Starting PostgreSQL")
        version = sorted(os.listdir("/etc/postgresql"))[0]
        run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
        wait_for(lambda: subprocess.run(["pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT]).returncode == 0)
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    if not redis_answers():
        say("Starting Redis")
        Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
        Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
        run(
            [
                *("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"),
                *("--save", "", "--appendonly", "no", "--dir", "/var/lib/redis"),
                *("--logfile", "/var/log/redis/bench.log"),
            ]
        )
        wait_for(redis_answers)


def redis_answers() -> bool:
    command = ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def wait_for(ready, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("Timed out waiting for a service.")
        time.sleep(0.5)


# --- 2. and 3. the database and the plan --------------------------------------------------------


def django_env(secret_key: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accessportal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback (see README, production setup)
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def world_sizes() -> list[str]:
    """seed_scale's arguments for BENCH_WORLD times the default world."""
    sizes = {"enterprises": 1_000, "subafdelingen": 10_000, "users": 200_000, "roles": 500_000}
    return [f"--{name}={count * WORLD}" for name, count in sizes.items()]


def psql(query: str, database: str = "postgres") -> str:
    command = ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", database, "-tAc", query]
    return run(command, capture=True).strip()


def ensure_database(env: dict) -> dict:
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") != "1":  # noqa: S608 (our own name)
        say(f"Creating the database {DATABASE}")
        run(["createdb", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, DATABASE])
    say("Migrating")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    if run([PYTHON, "bench/prepare.py", "loaded"], env=env, capture=True).strip() != "yes":
        say(f"Loading the scale world x {WORLD} (once; about {WORLD} minute(s))")
        started = time.monotonic()
        run([PYTHON, "manage.py", "seed_scale", *world_sizes()], env=env)
        say(f"Scale world loaded in {time.monotonic() - started:.0f} s")
    # The machine's PostgreSQL may run without autovacuum (this one does): without the visibility map
    # of a vacuumed table, counts and lists cannot use index-only scans, as they do in production.
    say("VACUUM (ANALYZE)")
    psql("VACUUM (ANALYZE)", DATABASE)
    say("Collecting static files (whitenoise manifest)")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env)
    say("Preparing sessions, tokens, and measuring the SQL queries per page")
    plan_file = SCRATCH / "plan.json"
    run([PYTHON, "bench/prepare.py", "plan", str(plan_file)], env=env)
    return json.loads(plan_file.read_text())


# --- the machine's own load -------------------------------------------------------------------


def _cpu_times() -> tuple[int, int]:
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def background_cpu(seconds: float = 3) -> float:
    """The percentage of the machine's CPU that other processes use, over a few seconds."""
    try:
        busy_before, total_before = _cpu_times()
        time.sleep(seconds)
        busy_after, total_after = _cpu_times()
    except (OSError, ValueError, IndexError):
        return 0.0
    return round(100 * (busy_after - busy_before) / max(1, total_after - total_before), 1)


def wait_for_quiet() -> float:
    """Wait up to BENCH_QUIET_WAIT seconds (120) for the machine to be quiet (other processes under
    QUIET_PERCENT of the CPU): the pages share its cores with the server, PostgreSQL and wrk, so a
    test suite running beside the bench halves its numbers. Returns the background load measured."""
    deadline = time.monotonic() + int(os.environ.get("BENCH_QUIET_WAIT", "120"))
    load = background_cpu()
    while load > QUIET_PERCENT and time.monotonic() < deadline:
        say(f"Other processes use {load:.0f} % of the CPU; waiting for a quieter machine")
        time.sleep(10)
        load = background_cpu()
    if load > QUIET_PERCENT:
        say(f"Warning: other processes use {load:.0f} % of the CPU: the numbers will be low and noisy")
    return load


# --- 4. gunicorn --------------------------------------------------------------------------------


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, env: dict):
        self.env = env
        self.port = spare_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        worker_class = "gthread" if THREADS > 1 else "sync"
        command = [
            *(GUNICORN, "accessportal.wsgi", "--bind", f"127.0.0.1:{self.port}"),
            *("--workers", str(WORKERS), "--worker-class", worker_class, "--threads", str(THREADS)),
            *("--timeout", "60", "--graceful-timeout", "10", "--log-level", "warning"),
            *("--error-logfile", str(SCRATCH / "gunicorn.log")),
        ]
        say(f"Starting gunicorn on {self.base}: {WORKERS} {worker_class} workers x {THREADS} threads")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        wait_for(lambda: self.status("/healthz/") == 200 or self.process.poll() is not None, 60)
        if self.process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at once: see {SCRATCH / 'gunicorn.log'}")

    def status(self, path: str, headers: dict | None = None, data: bytes | None = None) -> int:
        request = urllib.request.Request(self.base + path, headers=headers or {}, data=data)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        say("Stopping gunicorn")
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the master and its workers
            self.process.wait(5)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- 5. the load ------------------------------------------------------------------------------


def lua_string(value: str) -> str:
    return json.dumps(value)  # ASCII only here: a JSON string is a Lua string


def wrk_script(page: dict, *, rate: float, day0: int) -> Path:
    headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in page.get("headers", {}).items())
    body = lua_string(page["body"]) if page.get("body") else "nil"
    config = (
        f"cfg = {{ method = {lua_string(page.get('method', 'GET'))}, path = {lua_string(page['path'])},\n"
        f"  headers = {{ {headers} }},\n  body = {body}, expect = {page.get('expect', 200)},\n"
        f"  rate = {rate / WRK_THREADS:.3f}, day0 = {day0}, days_per_thread = {DAYS_PER_THREAD} }}\n"
    )
    script = SCRATCH / f"wrk-{page['key']}.lua"
    script.write_text(config + (BENCH / "wrk.lua").read_text())
    return script


class Days:
    """The POST days: each request of the POST takes a day of its own (start = end date), so the
    service never meets an overlapping period of the role; a run starts after the previous one's."""

    def __init__(self, first: date):
        self.next = (first - date(1970, 1, 1)).days

    def take(self) -> int:
        return self.next

    def used(self, answered: int) -> None:
        # wrk counts the answered requests; a few more may have been on their way at the end.
        self.next += WRK_THREADS * DAYS_PER_THREAD if WRK_THREADS > 1 else answered + CONNECTIONS + 100
        if date(1970, 1, 1) + timedelta(days=self.next + WRK_THREADS * DAYS_PER_THREAD) > date(9999, 1, 1):
            raise SystemExit("Out of POST days: reload the scale world (seed_scale --replace).")


def load(server: Server, page: dict, *, seconds: int, connections: int, rate: float, days: Days) -> dict:
    script = wrk_script(page, rate=rate, day0=days.take())
    command = [
        *("wrk", "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s"),
        *("--timeout", "10s", "-s", str(script), server.base + page["path"]),
    ]
    output = run(command, capture=True)
    line = next((line for line in output.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result for {page['key']}:\n{output}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    if page.get("body"):
        days.used(raw["requests"])
    errors = sum(
        raw[name]
        for name in (
            *("connect_errors", "read_errors", "write_errors", "timeouts"),
            *("status_errors", "unexpected_status"),
        )
    )
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": errors,
        "error_detail": {k: v for k, v in raw.items() if k.endswith(("errors", "timeouts", "status")) and v},
    }


def smoke(server: Server, page: dict, day: date) -> None:
    """One request per page before the load: the answer wrk will count as a success."""
    data = page["body"].replace("%s", f"{day:%d-%m-%Y}").encode() if page.get("body") else None
    status = server.status(page["path"], page.get("headers"), data)
    if status != page.get("expect", 200):
        raise SystemExit(f"{page['key']} {page['path']}: status {status}, expected {page.get('expect', 200)}")


def saturation(server: Server, page: dict, days: Days) -> dict:
    say(f"{page['key']}: saturation, {ROUND_SECONDS} s, {CONNECTIONS} connections")
    return load(server, page, seconds=ROUND_SECONDS, connections=CONNECTIONS, rate=0, days=days)


def half_saturation(server: Server, page: dict, rate: float, days: Days) -> dict:
    say(f"{page['key']}: half saturation, {rate:.0f} requests/s, {SECONDS} s")
    return {
        "rate": round(rate, 1),
        **load(server, page, seconds=SECONDS, connections=CONNECTIONS, rate=rate, days=days),
    }


def ratio_rounds(floors: list[dict], runs: list[dict]) -> list[dict]:
    """A page's saturation run of each round against the floor's runs on either side of it (the
    round's and the next one's): each ratio is to the floor as the machine was during that round."""
    rounds = []
    for number, run_ in enumerate(runs):
        floor = (floors[number]["rps"] + floors[number + 1]["rps"]) / 2
        rounds.append(
            {"rps": run_["rps"], "floor_rps": round(floor, 1), "ratio": round(run_["rps"] / floor, 3)}
        )
    return rounds


def median_index(values: list[float]) -> int:
    """The index of the median value (the lower one of the middle two for an even number): a page's
    figures are its median round's, the floor's its median run's, each one measured run rather than a
    mix of several."""
    order = sorted(range(len(values)), key=values.__getitem__)
    return order[(len(order) - 1) // 2]


def measure(server: Server, pages: list[dict], plan: dict) -> list[dict]:
    """Every page at saturation in BENCH_ROUNDS rounds, the floor before each round and after the
    last; then each page at half its saturation. The machine's speed drifts (the floor went from
    2,637 to 3,201 requests/s within two minutes of one run) and jumps (one page's ratio moved by 30 %
    between two runs of the same code): a ratio to the floor runs on either side of the same round,
    and the median of the rounds, follow the code more than the moment. The half-saturation runs come
    minutes after the rounds, so their rate is the page's ratio times a floor run just before them:
    half the page's saturation as the machine is then, not as it was."""
    days = Days(date.fromisoformat(plan["post_first_day"]))
    for page in pages:
        smoke(server, page, date.fromisoformat(plan["post_first_day"]) - timedelta(days=3))
    say(f"Warming up ({WARMUP_SECONDS} s per page)")
    for page in pages:
        load(server, page, seconds=WARMUP_SECONDS, connections=CONNECTIONS, rate=0, days=days)
    floor, others = pages[0], pages[1:]
    floors, runs = [], {page["key"]: [] for page in others}
    for number in range(1, ROUNDS + 1):
        say(f"Round {number} of {ROUNDS}")
        floors.append(saturation(server, floor, days))
        for page in others:
            runs[page["key"]].append(saturation(server, page, days))
    floors.append(saturation(server, floor, days))
    median_floor = floors[median_index([run_["rps"] for run_ in floors])]
    rows = [{**floor, "rounds": [], "ratio": 1.0, "saturation": median_floor}]
    for page in others:
        rounds = ratio_rounds(floors, runs[page["key"]])
        chosen = median_index([row["ratio"] for row in rounds])
        rows.append(
            {
                **page,
                "rounds": rounds,
                "ratio": rounds[chosen]["ratio"],
                "saturation": runs[page["key"]][chosen],
            }
        )
    floor_now = saturation(server, floor, days)["rps"]
    for row in rows:
        row["half"] = half_saturation(server, row, row["ratio"] * floor_now / 2, days)
    rows[0]["floor_runs_rps"] = [run_["rps"] for run_ in floors]
    rows[0]["floor_before_half_rps"] = floor_now
    return rows


# --- 6. the report ----------------------------------------------------------------------------


def evaluate(rows: list[dict]) -> list[dict]:
    pages = []
    for row in rows:
        ratio = row["ratio"]
        target, target_p95, target_queries = TARGETS[row["key"]]
        pages.append(
            {
                "key": row["key"],
                "label": row["label"],
                "kind": row["kind"],
                "method": row.get("method", "GET"),
                "path": row["path"].split("?")[0] + ("?…" if "?" in row["path"] else ""),
                "queries": row["queries"],
                "inprocess_median_ms": row.get("inprocess_median_ms"),
                "profile_top": row.get("profile_top", []),
                "ratio": round(ratio, 3),
                "target_ratio": target,
                "rounds": row["rounds"],
                "saturation": row["saturation"],
                "half_saturation": row["half"],
                "meets": {
                    "ratio": ratio >= target,
                    "p95": row["half"]["p95_ms"] <= target_p95,
                    "queries": row["queries"] <= target_queries,
                    "errors": row["saturation"]["errors"] == 0 and row["half"]["errors"] == 0,
                },
            }
        )
    return pages


def git_commit() -> str:
    try:
        commit = run(["git", "rev-parse", "--short=12", "HEAD"], capture=True).strip()
        dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], capture=True).strip()
    except SystemExit:
        return "unknown"
    return f"{commit}{'+changes' if dirty else ''}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def floor_multiple(page: dict | None, pages: list[dict] | dict | None) -> float | None:
    """``page``'s in-process median as a multiple of the floor's in the same run (``pages``: the run's
    pages, or a results.json); None when either is missing."""
    if isinstance(pages, dict):
        pages = pages.get("pages", [])
    floor = next((row.get("inprocess_median_ms") for row in pages or [] if row["key"] == "floor"), None)
    median = (page or {}).get("inprocess_median_ms")
    return round(median / floor, 1) if median and floor else None


def round_span(rounds: list[dict] | None) -> str:
    ratios = [row["ratio"] for row in rounds or []]
    return f"{min(ratios):.3f}-{max(ratios):.3f}" if ratios else "-"


def table(pages: list[dict], previous: dict | None) -> str:
    before = {page["key"]: page for page in (previous or {}).get("pages", [])}

    def mark(ok: bool) -> str:
        return " " if ok else "!"

    lines = [
        f"{'page':<40} {'req/s':>8} {'ratio':>6} {'target':>6} {'rounds':>11}  {'p50':>7} {'p95':>7} {'p99':>7}"
        f" {'err':>5}  {'½ rate':>7} {'½ p95':>7} {'SQL':>4}  {'prev ratio':>10}",
    ]
    for page in pages:
        sat, half, ok = page["saturation"], page["half_saturation"], page["meets"]
        old = before.get(page["key"])
        lines.append(
            f"{page['label'][:40]:<40} {sat['rps']:>8.1f} {page['ratio']:>5.2f}{mark(ok['ratio'])}"
            f" {page['target_ratio']:>6.2f} {round_span(page.get('rounds')):>11}"
            f"  {sat['p50_ms']:>7.1f} {sat['p95_ms']:>7.1f} {sat['p99_ms']:>7.1f}"
            f" {sat['errors'] + half['errors']:>4}{mark(ok['errors'])}  {half['rate']:>7.1f}"
            f" {half['p95_ms']:>6.1f}{mark(ok['p95'])} {page['queries']:>3}{mark(ok['queries'])}"
            f"  {old['ratio'] if old else '-':>10}"
        )
    lines.append(
        "ratio: the median round's, to the floor runs on either side of it (the floor's row shows its median"
        " run); rounds: the lowest and highest round's; latencies in ms; ! marks a missed target of issue"
        " 18 (ratio, p95 at half saturation, queries)"
    )
    lines.append(
        "\nIn-process (django.test.Client, one request at a time) and where the time goes (cProfile); the"
        "\nin-process times move with the machine as req/s do, the millions of instructions a request"
        "\n(callgrind: Python's side only) do not:"
    )
    for page in pages:
        median = page.get("inprocess_median_ms")
        multiple, old_multiple = (
            floor_multiple(page, pages),
            floor_multiple(before.get(page["key"]), previous),
        )
        count, old_count = (
            page.get("instructions_millions"),
            (before.get(page["key"]) or {}).get("instructions_millions"),
        )
        lines.append(
            f"{page['label'][:40]:<40} {page['queries']:>3} queries  {median or 0:>7.2f} ms median"
            f"  {multiple or 0:>5.1f} x the floor (previous run: {f'{old_multiple:.1f}' if old_multiple else '-'})"
            f"  {f'{count:.2f}' if count else '-':>6} M instructions (previous: {old_count or '-'})"
        )
        lines += [
            f"    {row['own_ms']:>7.3f} ms own {row['cumulative_ms']:>8.3f} ms cum {row['calls']:>7}x"
            f"  {row['function']}"
            for row in page.get("profile_top", [])[:5]
        ]
    return "\n".join(lines)


def world_comparison(pages: list[dict], normal: dict) -> tuple[list[dict], str]:
    """Each page's in-process median, queries and ratio in this (larger) world against the normal
    world's results.json: the cost of a page may not grow with the data (WORLD_GROWTH_LIMIT)."""
    before = {page["key"]: page for page in normal.get("pages", [])}
    rows, lines = (
        [],
        [
            f"\nAgainst the normal world ({NORMAL_RESULTS.name}, {normal.get('commit', '?')}), in-process median"
            f" and queries; ! marks a page above {WORLD_GROWTH_LIMIT} x:",
            f"{'page':<40} {'normal ms':>9} {'here ms':>8} {'x':>6}  {'SQL':>7}  {'ratio normal':>12} {'here':>6}",
        ],
    )
    for page in pages:
        old = before.get(page["key"])
        if old is None or not old.get("inprocess_median_ms") or page["key"] == "floor":
            continue
        factor = page["inprocess_median_ms"] / old["inprocess_median_ms"]
        ok = factor <= WORLD_GROWTH_LIMIT and page["queries"] <= old["queries"]
        rows.append({"key": page["key"], "factor": round(factor, 2), "queries": page["queries"], "meets": ok})
        lines.append(
            f"{page['label'][:40]:<40} {old['inprocess_median_ms']:>9.2f} {page['inprocess_median_ms']:>8.2f}"
            f" {factor:>5.2f}{' ' if ok else '!'}  {old['queries']:>3}/{page['queries']:<3}"
            f"  {old['ratio']:>12.3f} {page['ratio']:>6.3f}"
        )
    return rows, "\n".join(lines)


def _terminate(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}.")  # runs the finally blocks: gunicorn is stopped


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    ensure_services()
    env = django_env(secrets.token_urlsafe(50))
    plan = ensure_database(env)
    wanted = {key.strip() for key in os.environ.get("BENCH_PAGES", "").split(",") if key.strip()}
    pages = [page for page in plan["pages"] if not wanted or page["key"] in wanted | {"floor"}]
    for page in pages:
        if page.get("queries_status") != page.get("expect", 200):
            raise SystemExit(f"{page['key']}: in-process status {page.get('queries_status')}")
    background = wait_for_quiet()
    server = Server(env)
    try:
        server.start()
        rows = measure(server, pages, plan)
    finally:
        server.stop()
        subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    pages = evaluate(rows)
    if COUNT_INSTRUCTIONS:
        say(f"Counting instructions with callgrind ({instructions.REQUESTS} requests a page)")
        for page in pages:
            page["instructions_millions"] = round(
                instructions.count(SCRATCH / "plan.json", page["key"], env), 2
            )
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else None
    results = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {
            "cores": CORES,
            "cpu": cpu_model(),
            "python": platform.python_version(),
            "background_cpu_percent_before": background,
            "background_cpu_percent_after": background_cpu(),
        },
        "postgresql": psql("SHOW server_version"),
        "server": {
            "gunicorn_workers": WORKERS,
            "threads": THREADS,
            "worker_class": "gthread" if THREADS > 1 else "sync",
        },
        "load": {
            "tool": "wrk",
            "threads": WRK_THREADS,
            "connections": CONNECTIONS,
            "rounds": ROUNDS,
            "round_seconds": ROUND_SECONDS,
            "half_saturation_seconds": SECONDS,
            "half_saturation": "wrk delay() schedule at 0.5 x the page's ratio x a floor run just before",
        },
        "world": {"multiplier": WORLD, **plan["world"]},
        "subjects": plan["subjects"],
        "targets": {
            key: {"ratio": ratio, "p95_ms_at_half_saturation": p95, "queries": queries}
            for key, (ratio, p95, queries) in TARGETS.items()
        },
        "floor_runs_rps": rows[0].get("floor_runs_rps"),
        "floor_before_half_rps": rows[0].get("floor_before_half_rps"),
        "pages": pages,
    }
    comparison = ""
    if WORLD != 1 and NORMAL_RESULTS.exists():
        results["against_normal_world"], comparison = world_comparison(
            pages, json.loads(NORMAL_RESULTS.read_text())
        )
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(pages, previous))
    if comparison:
        print(comparison)
    print(
        f"Floor runs (before each round, after the last): {rows[0].get('floor_runs_rps')} requests/s; before"
        f" the half-saturation runs: {rows[0].get('floor_before_half_rps')}; other processes used"
        f" {results['machine']['background_cpu_percent_before']} % of the CPU before the run."
    )
    print(
        f"\nWritten to {RESULTS.relative_to(ROOT) if RESULTS.is_relative_to(ROOT) else RESULTS}"
        f" in {time.monotonic() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
