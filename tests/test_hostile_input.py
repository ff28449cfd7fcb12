"""Hostile input never gets a 500: every route of the URL resolver, requested by a persona who may use it.

- a NUL byte in the path, in the query string or in a posted form answers 400 (PostgreSQL cannot
  store or compare it; accessportal.middleware.HostileInputMiddleware refuses it before any view);
- ids beyond what the database holds (2^63, 2^64, 5,000 digits), negative ids, overlong values and
  bytes that are no UTF-8, in every path parameter, every GET parameter and every field of every form
  of the project, answer 400, 404, a redirect or the form with its error: never 5xx.

The routes come from the URL resolver (as in the access matrix), the GET parameters from the source
(every ``request.GET`` read) and the fields of every form of the project, so a new route, parameter or
form is covered without touching this file. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import functools
import importlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accessportal import forms as portal_forms
from accessportal.admin import SafeInputAdminMixin
from tests.matrix import ADMIN_LOGIN, LEVELS, LOGIN
from tests.test_access_matrix import expectation_for, iter_routes, sample_path

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "accessportal",
    "identity",
    "enterprises",
    "administrators",
    "subdivisions",
    "users",
    "roles",
    "training",
]

HUGE_IDS = [str(2**63), str(2**64), str(-(2**63) - 1), "9" * 5000]
# Overlong: beyond every max_length, yet all fields together within DATA_UPLOAD_MAX_MEMORY_SIZE.
HOSTILE_VALUES = [*HUGE_IDS, "-1", "0", "1e30", "x" * 3000, "<script>", "' OR 1=1 --"]
NUL = "a\x00b"


def _sources():
    for app in APPS:
        yield from (ROOT / app).rglob("*.py")


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's apps (their modules imported)."""
    for path in _sources():
        if "migrations" in path.parts or "management" in path.parts:
            continue
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS:
            found.append(cls)
    return found


@functools.cache
def parameter_names() -> list[str]:
    """Every GET parameter a view reads, and every field name (with the prefixes in use) of every form."""
    names = {"next", "pagina"}
    prefixes = set()
    for path in _sources():
        text = path.read_text()
        names.update(re.findall(r"request\.GET(?:\.get|\.getlist)?\(\s*[\"'](\w+)[\"']", text))
        names.update(re.findall(r"request\.GET\[\s*[\"'](\w+)[\"']\s*\]", text))
        names.update(re.findall(r"[\"'](\w+)[\"'] in request\.GET", text))
        prefixes.update(re.findall(r"PREFIX\s*=\s*[\"'](\w+)[\"']", text))
    fields = {name for cls in _form_classes() for name in getattr(cls, "base_fields", {})}
    names.update(fields)
    names.update(f"{prefix}-{name}" for prefix in prefixes for name in fields)
    return sorted(names)


ROUTES = sorted(iter_routes())
PREFERENCE = [level for level in LEVELS if level != "anonymous"]


def persona_for(expect) -> str:
    """The first persona that gets past the permission checks of the route (else an anonymous visitor)."""
    for level in PREFERENCE:
        status = expect.for_level(level)
        if status not in (404, LOGIN, ADMIN_LOGIN):
            return level
    return "anonymous"


def is_admin(key: str) -> bool:
    return key.startswith(("admin:", "admin/", "^admin"))


def persona(world, key: str, level: str):
    if is_admin(key):
        staff = get_user_model().objects.filter(is_superuser=True).first()
        return staff or get_user_model().objects.create_superuser(
            "85073003328", password="onbekend-wachtwoord-1", first_name="Ad", last_name="Min"
        )
    return world.persona(level)


def sign_in(client, person) -> None:
    """(Again) as ``person``: a request may have signed out or switched persons."""
    if person is None:
        client.logout()
    elif client.session.get("_auth_user_id") != str(person.pk):
        client.force_login(person)


def path_variants(pattern: str, kwargs: dict) -> list[tuple[str, bool]]:
    """(path, has a NUL byte) for each parameter of the route filled with each hostile value."""
    variants = []
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", pattern):
        converter, name = match.group(1) or "str", match.group(2)
        values = HUGE_IDS if converter == "int" else [NUL, "9" * 5000, str(2**64)]
        for value in values:
            path = sample_path(pattern, {**kwargs, name: quote(value, safe="")})
            variants.append((path, "\x00" in value))
    return variants


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def admin_parameter_names(pattern: str) -> list[str]:
    """The admin reads its own parameters: search, order, page, popups and the list filters."""
    names = ["q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if f"{meta.app_label}/{meta.model_name}/" not in pattern:
            continue
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                field = meta.get_field(entry.split("__")[0])
                names += [f"{entry}__id__exact", f"{entry}__exact", f"{entry}__isnull"]
                if field.is_relation:
                    names.append(f"{entry}__pk__exact")
            elif hasattr(entry, "parameter_name"):
                names.append(entry.parameter_name)
    return names


@pytest.mark.parametrize(("key", "pattern"), ROUTES, ids=[key for key, _pattern in ROUTES])
def test_no_server_error_under_hostile_input(client, world, key, pattern):
    expect = expectation_for(key)
    who = persona(world, key, persona_for(expect))
    sign_in(client, who)
    kwargs = expect.kwargs(world)
    path = sample_path(pattern, kwargs)
    names = parameter_names() + (admin_parameter_names(pattern) if is_admin(key) else [])
    values = HOSTILE_VALUES if not is_admin(key) else [str(2**64), "9" * 5000, "x" * 3000]

    for variant, has_nul in path_variants(pattern, kwargs):
        sign_in(client, who)
        response = client.get(variant)
        if has_nul:
            assert response.status_code == 400, f"GET {variant!r}: {response.status_code}"
        assert_no_server_error(response, f"GET {variant!r}")
    assert client.get(path + "%00/").status_code == 400

    assert client.get(path, {"naam": NUL, "pagina": "1"}).status_code == 400
    assert client.get(f"{path}?{quote(NUL)}=1").status_code == 400
    assert client.post(path, {name: NUL for name in names}).status_code == 400

    for value in values:
        sign_in(client, who)
        assert_no_server_error(client.get(path, {name: value for name in names}), f"GET {path} ={value[:20]}")
        sign_in(client, who)
        # The last value is the one a single-value field reads; a multi-value field reads both.
        response = client.post(path, {name: ["1", value] for name in names})
        assert_no_server_error(response, f"POST {path} ={value[:20]}")
    sign_in(client, who)
    assert_no_server_error(client.get(f"{path}?naam=%FF%FE&pagina=%C0%80"), f"GET {path} not UTF-8")


def test_every_get_parameter_is_found():
    """The scan of the source finds the parameters the views read (a sanity check of this file)."""
    names = parameter_names()
    for name in (
        "aan",
        "aanvraag",
        "selectie",
        "pagina",
        "stap",
        "onderneming",
        "tab",
        "hco",
        "naam",
        "toepassing",
    ):
        assert name in names


def test_every_choice_of_rows_uses_the_portal_fields():
    """A new form choosing database rows gets the range check by using accessportal.forms' fields."""
    unsafe = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        # A ModelForm's generated fields are made again by the admin (SafeInputAdminMixin, below).
        for name, field in getattr(cls, "declared_fields", {}).items()
        if isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, portal_forms.ModelChoiceField | portal_forms.ModelMultipleChoiceField)
    ]
    assert not unsafe


def test_every_admin_uses_the_safe_input_mixin():
    unsafe = []
    for model, model_admin in admin.site._registry.items():
        for candidate in (type(model_admin), *model_admin.inlines):
            if not issubclass(candidate, SafeInputAdminMixin):
                unsafe.append(f"{model.__name__}: {candidate.__name__}")
    assert not unsafe


@pytest.mark.parametrize("value", [*HUGE_IDS, "abc", "1.5", " ", "1" * 30, "x" * 300])
def test_the_choice_fields_refuse_what_no_row_can_be(world, value):
    from enterprises.models import Application, Hoedanigheid

    single = portal_forms.ModelChoiceField(queryset=Application.objects.all())
    by_code = portal_forms.ModelChoiceField(queryset=Hoedanigheid.objects.all(), to_field_name="code")
    several = portal_forms.ModelMultipleChoiceField(queryset=Application.objects.all())
    some = str(Application.objects.values_list("pk", flat=True).first())
    for field, data in ((single, value), (by_code, value), (several, [some, value])):
        with pytest.raises(ValidationError) as refused:
            field.clean(data)
        assert refused.value.code == "invalid_choice"
    assert several.prepare_value([some, value]) == [some]
    assert single.prepare_value(value) is None
