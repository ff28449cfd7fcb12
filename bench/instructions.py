# ruff: noqa: S603
# (tooling that runs valgrind and callgrind_control with fixed arguments on its own process)
"""The instructions a page costs in-process, counted by valgrind's callgrind: the same count for the
same code, data and Python whatever else the machine does (a timed median moved 2x between two runs
minutes apart on this shared machine; this count moves by less than 0.5 %). Run by bench/run.py
after the load runs; ``python bench/instructions.py PLAN KEY N`` is what runs under valgrind.

Under valgrind a page costs about fifty times its time, so only N requests are counted (BENCH_
INSTRUCTION_REQUESTS, 10), after five that warm the process up (templates, prepared statements, kept
fragments): callgrind starts with its counting off and the script turns it on and off around them
(``callgrind_control -i``). The count covers Python's side only: PostgreSQL's and Redis's work is
not in it, their time is in the load figures.
"""

import gc
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_INSTRUCTION_REQUESTS", "10"))
WARM_UP = 5
# The counted POSTs give days of their own, long before the load generator's (the plan's first day on)
# and the in-process timing's (the days just before it), a random stretch of them per count so that a
# second count on the same plan finds its days free.
DAYS_BEFORE_THE_LOAD = 20_000
STRETCHES = 1_000


def available() -> bool:
    return bool(shutil.which("valgrind") and shutil.which("callgrind_control"))


def count(plan_file: Path, key: str, env: dict) -> float:
    """Millions of instructions per request of the plan's page ``key``."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        stretch = secrets.randbelow(STRETCHES)
        result = subprocess.run(
            [
                *("valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"),
                *(sys.executable, __file__, str(plan_file), key, str(REQUESTS), str(stretch)),
            ],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise SystemExit(f"Counting the instructions of {key} failed:\n{result.stderr[-2000:]}")
        return total_instructions(out.read_text()) / REQUESTS / 1e6


def total_instructions(callgrind_out: str) -> int:
    """The ``totals:`` line of a callgrind output file: the instructions counted. (Its ``summary:``
    line says 0 when the counting was turned on during the run, as here.)"""
    for line in callgrind_out.splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise ValueError("No totals in the callgrind output.")


def _requests(plan_file: Path, key: str, number: int, stretch: int) -> None:
    """Under valgrind: the page's requests, counted from the sixth on."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    plan = json.loads(plan_file.read_text())
    page = next(page for page in plan["pages"] if page["key"] == key)
    headers = {name: value for name, value in page.get("headers", {}).items() if name != "Content-Type"}
    client = Client(HTTP_HOST="127.0.0.1")
    cookies = dict(cookie.split("=", 1) for cookie in filter(None, headers.pop("Cookie", "").split("; ")))
    first = date.fromisoformat(plan["post_first_day"]) - timedelta(days=DAYS_BEFORE_THE_LOAD)
    day = first - timedelta(days=stretch * (WARM_UP + number))
    expected = page.get("expect", 200)

    def request():
        nonlocal day
        day += timedelta(days=1)
        # The load generator's cookies, at every request: not the ones a response set (the messages
        # of a POST that nobody reads would pile up in them).
        client.cookies.clear()
        for name, value in cookies.items():
            client.cookies[name] = value
        if page.get("method") == "POST":
            body = page["body"].replace("%s", f"{day:%d-%m-%Y}")
            response = client.post(
                page["path"], body, content_type="application/x-www-form-urlencoded", headers=headers
            )
        else:
            response = client.get(page["path"], headers=headers)
        if response.status_code != expected:
            raise SystemExit(f"{key}: status {response.status_code}, expected {expected}")

    for _ in range(WARM_UP):
        request()
    # A full collection of the process's objects costs millions of instructions, once in a while:
    # whether one fell among the ten counted requests moved the floor from 1.40 to 1.65 million when an
    # admin class was added. Collected here, none is due while they run; the young generations'
    # collections that the requests themselves cause are counted.
    gc.collect()
    callgrind = ["callgrind_control", "--instr=on", str(os.getpid())]
    subprocess.run(callgrind, check=True, capture_output=True)
    for _ in range(number):
        request()
    subprocess.run([*callgrind[:1], "--instr=off", *callgrind[2:]], check=True, capture_output=True)


if __name__ == "__main__":
    _requests(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
