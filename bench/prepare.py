"""The Django side of ``make bench`` (run by bench/run.py with the bench's environment).

``python bench/prepare.py loaded`` prints ``yes`` when the scale world is in the bench database.

``python bench/prepare.py plan OUT.json`` picks the scale world's people and objects the pages are
measured on, makes what the load generator needs to be them (database sessions with the "Werkgever"
choice, a CSRF cookie and token, a token of BelRAI for the access-decision API), measures the SQL
queries of one request per page in-process (django.test.Client, signed in with force_login,
CaptureQueriesContext, after one warm-up request), and writes the plan: one entry per page.

The subjects, all in the scale world's big subafdeling (20,000 users) and its enterprise:
- the enterprise's HTB (its legal representative, TB of its hoedanigheid by default) is signed in
  on every portal page;
- the role editor shows a user with the E-loket right and a handful of roles;
- the POST gives "BelRAI VL - admin" to a user with the E-loket right who does not have that role
  yet, a new one on every run, one day per request (the service refuses overlapping periods);
- the access decision asks about a user with the E-loket right and a BelRAI role in effect.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accessportal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from accessportal import clock  # noqa: E402
from administrators.models import HtbAppointment  # noqa: E402
from enterprises.models import Application  # noqa: E402
from roles.models import Role, RoleAssignment  # noqa: E402
from subdivisions.models import Subafdeling  # noqa: E402
from subdivisions.views import QUALITY_SESSION_KEY  # noqa: E402
from users.models import ApplicationRight, SubafdelingUser, UserStatus  # noqa: E402
from worlds import scale  # noqa: E402
from worlds.catalogue import catalogue_ensure  # noqa: E402

POST_ROLE = "BelRAI VL - admin"
API_APPLICATION = "belrai"
API_ROUTE = "roles:api"
SEARCH_NAME = "peete"  # part of "Peeters": a filtered search as an administrator types it
# The POSTs give one day each, from this day on; bench/run.py moves it on per load run.
POST_FIRST_DAY = date(2100, 1, 1)


def _session_cookie(person) -> str:
    """A signed-in session as django.contrib.auth.login leaves it, with the "Werkgever" choice."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session[QUALITY_SESSION_KEY] = "werkgever"
    session.create()
    return session.session_key


def _eloket_holders(subafdeling: Subafdeling):
    eloket = Application.objects.get(code=scale.ELOKET_CODE)
    right = ApplicationRight.objects.filter(user=OuterRef("pk"), application=eloket)
    return SubafdelingUser.objects.filter(subafdeling=subafdeling, status=UserStatus.ACTIEF).filter(
        Exists(right)
    )


def _subjects() -> dict:
    big = Subafdeling.objects.select_related("activation__enterprise", "facility").get(
        name=scale.BIG_SUBAFDELING_NAME
    )
    activation = big.activation
    htb = (
        HtbAppointment.objects.current().select_related("person").get(enterprise=activation.enterprise).person
    )
    role = Role.objects.get(name=POST_ROLE)
    holders = _eloket_holders(big).order_by("pk")
    today = clock.today()
    in_effect = RoleAssignment.objects.filter(
        user=OuterRef("pk"),
        role__name__startswith="BelRAI VL",
        removed_at=None,
        effective_start_date__lte=today,
    ).filter(Q(effective_end_date__isnull=True) | Q(effective_end_date__gte=today))
    api_user = holders.filter(Exists(in_effect)).select_related("person").first()
    some_roles = RoleAssignment.objects.filter(user=OuterRef("pk"))
    editor_user = holders.filter(Exists(some_roles)).exclude(pk=api_user.pk).first()
    has_role = RoleAssignment.objects.filter(user=OuterRef("pk"), role=role)
    post_user = holders.exclude(Exists(has_role)).exclude(pk__in=[api_user.pk, editor_user.pk]).first()
    if post_user is None:
        raise SystemExit("No user of the big subafdeling is left without the role: reload the scale world.")
    return {
        "big": big,
        "activation": activation,
        "htb": htb,
        "role": role,
        "api_user": api_user,
        "editor_user": editor_user,
        "post_user": post_user,
        "users_count": SubafdelingUser.objects.filter(subafdeling=big).count(),
    }


def _api_token() -> str:
    out = io.StringIO()
    call_command("apptoken", API_APPLICATION, stdout=out)
    return out.getvalue().strip()


def _pages(s: dict, *, session: str, csrf: str, token: str) -> list[dict]:
    big, post_user, role = s["big"], s["post_user"], s["role"]
    users_list = reverse("users:list", kwargs={"subafdeling_id": big.pk})
    signed_in = {"Cookie": f"sessionid={session}; csrftoken={csrf}; {settings.LANGUAGE_COOKIE_NAME}=nl"}
    api_query = urlencode(
        {"insz": s["api_user"].person.insz, "toepassing": API_APPLICATION, "hco": big.facility.hco_number}
    )
    return [
        {"key": "floor", "label": "healthz (floor)", "kind": "floor", "path": reverse("healthz")},
        {
            "key": "portal-home",
            "label": "portal home of an HTB",
            "kind": "detail",
            "path": reverse("subdivisions:welcome"),
            "headers": signed_in,
        },
        {
            "key": "subafdelingen",
            "label": "subafdelingen of a hoedanigheid",
            "kind": "list",
            "path": reverse("subdivisions:list", kwargs={"hoedanigheid_id": s["activation"].pk}),
            "headers": signed_in,
        },
        {
            "key": "users",
            "label": f"users list, page 1 ({s['users_count']:,} users)",
            "kind": "list",
            "path": users_list,
            "headers": signed_in,
        },
        {
            "key": "users-search",
            "label": f"users search naam={SEARCH_NAME}",
            "kind": "list",
            "path": f"{users_list}?{urlencode({'naam': SEARCH_NAME})}",
            "headers": signed_in,
        },
        {
            "key": "role-editor",
            "label": "role editor (Bewerken Functies)",
            "kind": "form",
            "path": reverse("roles:edit", kwargs={"subafdeling_id": big.pk, "user_id": s["editor_user"].pk}),
            "headers": signed_in,
        },
        {
            "key": "role-add",
            "label": "POST adding a role",
            "kind": "form",
            "method": "POST",
            "path": reverse("roles:edit", kwargs={"subafdeling_id": big.pk, "user_id": post_user.pk}),
            "headers": {
                **signed_in,
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            # %s: the day of the request (dd-mm-jjjj), as start and end date
            "body": f"role={role.pk}&start_date=%s&end_date=%s",
            "expect": 302,
        },
        {
            "key": "access-api",
            "label": "access decision API",
            "kind": "api",
            "path": f"{reverse(API_ROUTE)}?{api_query}",
            "headers": {"Authorization": f"Bearer {token}"},
        },
    ]


WANTED = {key.strip() for key in os.environ.get("BENCH_PAGES", "").split(",") if key.strip()}
TIMED_REQUESTS = int(os.environ.get("BENCH_TIMED_REQUESTS", "30"))
PROFILE_TOP = 8


def _request(client, page: dict, headers: dict, day: date):
    # The load generator sends the same cookies at every request: a POST's message, which no page
    # reads here, may not pile up in the client's cookies as it would in a browser that never looks.
    client.cookies.pop("messages", None)
    if page.get("method") == "POST":
        body = page["body"].replace("%s", f"{day:%d-%m-%Y}")
        return client.post(
            page["path"], body, content_type="application/x-www-form-urlencoded", headers=headers
        )
    return client.get(page["path"], headers=headers)


def _profile_top(stats: pstats.Stats) -> list[dict]:
    """The functions of the project (and Django) where a request spends its own time, the most first."""
    rows = []
    for (filename, line, function), (_calls, calls, own, cumulative, _callers) in stats.stats.items():
        rows.append(
            {
                "function": f"{Path(filename).name}:{line}({function})",
                "calls": calls,
                "own_ms": own * 1000,
                "cumulative_ms": cumulative * 1000,
            }
        )
    rows.sort(key=lambda row: row["own_ms"], reverse=True)
    return rows[:PROFILE_TOP]


def _measure_time(page: dict, client, headers: dict, first_day: date) -> date:
    """The in-process median time of TIMED_REQUESTS requests, and a profile of as many more: far less
    sensitive to the machine's load than the load generator's throughput. Returns the next free day."""
    day, times = first_day, []
    for _ in range(TIMED_REQUESTS):
        started = time.perf_counter()
        _request(client, page, headers, day)
        times.append((time.perf_counter() - started) * 1000)
        day += timedelta(days=1)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(TIMED_REQUESTS):
        _request(client, page, headers, day)
        day += timedelta(days=1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    page["inprocess_median_ms"] = round(statistics.median(times), 2)
    page["profile_top"] = [
        {
            **row,
            "calls": round(row["calls"] / TIMED_REQUESTS, 1),
            "own_ms": round(row["own_ms"] / TIMED_REQUESTS, 3),
            "cumulative_ms": round(row["cumulative_ms"] / TIMED_REQUESTS, 3),
        }
        for row in _profile_top(stats)
    ]
    return day


def _measure_queries(pages: list[dict], htb, post_user_day: date) -> None:
    """The SQL queries of one request per page, in-process, after one warm-up request; then its median
    time and profile (_measure_time), the POSTs on days before ``post_user_day``'s."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(htb)
    session = client.session
    session[QUALITY_SESSION_KEY] = "werkgever"
    session.save()
    for page in pages:
        headers = {k: v for k, v in page.get("headers", {}).items() if k not in ("Cookie", "Content-Type")}
        client_for_page = client if "Cookie" in page.get("headers", {}) else Client(HTTP_HOST="127.0.0.1")
        day = post_user_day
        for attempt in ("warm-up", "measured"):
            with CaptureQueriesContext(connection) as queries:
                response = _request(client_for_page, page, headers, day)
                day += timedelta(days=1)
            if attempt == "measured":
                page["queries"] = len(queries)
                page["queries_status"] = response.status_code
                page["sql"] = [q["sql"] for q in queries.captured_queries]
        if not WANTED or page["key"] in WANTED:
            _measure_time(page, client_for_page, headers, post_user_day - timedelta(days=3 * TIMED_REQUESTS))


def plan(out: Path) -> None:
    catalogue_ensure()  # the simulated applications (the API's BelRAI) besides the scale world's catalogue
    s = _subjects()
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    pages = _pages(s, session=_session_cookie(s["htb"]), csrf=csrf, token=_api_token())
    # The in-process POSTs take two days before the load generator's first.
    _measure_queries(pages, s["htb"], POST_FIRST_DAY - timedelta(days=2))
    world = {
        "enterprises": scale.scale_enterprises().count(),
        "subafdelingen": Subafdeling.objects.count(),
        "users": SubafdelingUser.objects.count(),
        "role_assignments": RoleAssignment.objects.count(),
    }
    subjects = {
        "htb": s["htb"].insz,
        "hoedanigheid_id": s["activation"].pk,
        "subafdeling_id": s["big"].pk,
        "subafdeling_users": s["users_count"],
        "editor_user_id": s["editor_user"].pk,
        "post_user_id": s["post_user"].pk,
        "post_role": POST_ROLE,
        "api_insz": s["api_user"].person.insz,
        "hco": s["big"].facility.hco_number,
    }
    out.write_text(
        json.dumps(
            {
                "pages": pages,
                "world": world,
                "subjects": subjects,
                "post_first_day": POST_FIRST_DAY.isoformat(),
            },
            indent=2,
        )
    )


def inprocess_report(pages: list[dict]) -> str:
    """The in-process figures of each page: queries, median time, and where the time goes."""
    lines = []
    for page in pages:
        if "inprocess_median_ms" not in page:
            continue
        lines.append(
            f"{page['label'][:40]:<40} {page['queries']:>3} queries  {page['inprocess_median_ms']:>7.2f} ms"
            " in-process (median)"
        )
        lines += [
            f"    {row['own_ms']:>7.3f} ms own {row['cumulative_ms']:>8.3f} ms cum {row['calls']:>7}x"
            f"  {row['function']}"
            for row in page["profile_top"][:5]
        ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if argv[:1] == ["loaded"]:
        print("yes" if scale.scale_world_loaded() else "no")
    elif argv[:1] == ["plan"] and len(argv) == 2:
        plan(Path(argv[1]))
    elif argv[:1] == ["inprocess"] and len(argv) == 2:
        # Only the in-process figures (no load generator): for working on a page.
        plan(Path(argv[1]))
        print(inprocess_report(json.loads(Path(argv[1]).read_text())["pages"]))
    else:
        raise SystemExit("usage: prepare.py loaded | plan OUT.json | inprocess OUT.json")


if __name__ == "__main__":
    main(sys.argv[1:])
