"""The access decision API: ``GET /api/toegang/?insz=…&toepassing=…&hco=…``.

An application of the Departement Zorg asks, for a person signing in, whether they may work in it for a
facility, and gets the decision with the diagnosis of the chain (``roles.access``) in JSON with Dutch
keys. The application authenticates with its own token (``Authorization: Bearer <token>``; only its
SHA-256 is stored, ``manage.py apptoken <slug>`` issues one) and may only ask about itself.

Answers:
- 401 without a token (nothing is read) or with an unknown one (``WWW-Authenticate: Bearer``);
- 403 when the token belongs to another application than ``toepassing``;
- 400 with a Dutch message per faulty parameter;
- 405 for anything but GET (and HEAD);
- 200 with the decision otherwise, also for a person unknown in the register (refused).

An optional ``moment`` (``YYYY-MM-DD``, the end of that day, or an ISO date and time, never in the
future) asks the decision as of then, rebuilt from history's stored periods (history.state.PastChainState,
the same decision function); the answer's ``moment`` says which moment, null for now.

Reads: one prepared statement per answer (``_token_application``): the token's application and its
roles, the person by INSZ (their id only) and the facility's chain (the decision's fields only,
roles.chain_state.DECISION_PARTS), checked at every request so that a rotated token answers 401 at once
in every process. The person and the chain are looked up from the token's own row and only when it is
the asked application's: an unknown token or another application's reads nothing about them. With a
faulty parameter the statement reads the token alone; with a ``moment``, the token and the person (the
chain as it was is read by PastChainState). The decision is roles.access.access_decide, handed the
chain read along; a refusal also reads who can fix the missing link.

Every answer is ``Cache-Control: no-store``; the messages are Dutch whatever the request's language.
The answer carries the decision and the diagnosis, never the person's name or other personal data: the
texts say "Deze persoon", whether the INSZ is known or not (only the administrators who can fix a
missing link are named).
"""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accessportal.identifiers import insz_clean
from accessportal.prepared import prepared_cursor
from accessportal.rows import joined_columns, queryset_holding
from enterprises.models import Application
from history.state import PastChainState, moment_parse
from identity.models import Person
from roles.access import ALLOWED, MISSING, OK, PENDING, access_decide
from roles.chain_state import DECISION_PARTS, CurrentChainState, chain_build, chain_from
from roles.models import Role, SimulatedApplication
from roles.services import token_digest

DECISIONS = {ALLOWED: "TOEGESTAAN", PENDING: "IN_AFWACHTING"}  # anything else: GEWEIGERD
LINK_STATUSES = {OK: "in_orde", MISSING: "ontbreekt"}  # anything else: in_afwachting
REALM = 'Bearer realm="accessportal"'


def _json(data: dict, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _bearer_token(request) -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


_TOKEN_PARTS = (
    ("sa", SimulatedApplication),
    ("ap", Application),
    ("p", Person, ("id",)),  # the person asked about: their id, nothing else
    ("tr", Role),  # the roles the application requires
)


@cache
def _read_sql(vendor: str) -> str:
    """One statement: the token's application with its application, the person by the INSZ, the
    application's roles (rows of their own) and the chain (rows of their own, ``chain_from``), the
    last two side by side in a UNION ALL. The person and the chain are read from the token's own row,
    and only when it is the asked application's: for another token the INSZ and the HCO number to
    look up are NULL. Parameters: the token's hash, the asked application's slug, the INSZ, the slug
    again and the HCO number. No LATERAL: the token's row and the person are common table
    expressions, which the chain reads as values (SQLite says it too)."""
    table = {alias: connection.ops.quote_name(model._meta.db_table) for alias, model, *_o in _TOKEN_PARTS}
    offers = connection.ops.quote_name(SimulatedApplication.roles.through._meta.db_table)
    token = joined_columns(vendor, *_TOKEN_PARTS[:3])
    roles = joined_columns(vendor, _TOKEN_PARTS[3])
    chain = joined_columns(vendor, *DECISION_PARTS)
    chain_text = chain_from(
        application="(SELECT application_id FROM sa)",
        person="(SELECT id FROM p)",
        roles=f"SELECT x.role_id FROM {offers} x WHERE x.simulatedapplication_id = (SELECT id FROM sa)",  # noqa: S608
        hco="CASE WHEN (SELECT slug FROM sa) = %s THEN %s END",
    )
    names = [name for _alias, _model, attnames, *_rest in roles.parts for name in attnames]
    order = ", ".join(str(token.width + names.index(name) + 1) for name in ("sort_order", "name"))
    return (
        # LIMIT 1: a hash is one token's (what the planner cannot know), so that the generic plan is the
        # custom one and PostgreSQL keeps it instead of planning the statement at every execution
        f"WITH sa AS (SELECT * FROM {table['sa']} WHERE token_hash = %s LIMIT 1), "  # noqa: S608
        f"p AS (SELECT p.id FROM {table['p']} p JOIN sa ON p.insz = CASE WHEN sa.slug = %s THEN %s END) "
        f"SELECT {token.select}, c.* FROM sa JOIN {table['ap']} ap ON ap.id = sa.application_id "
        "LEFT JOIN p ON 1 = 1 "
        f"LEFT JOIN (SELECT {roles.select}, {', '.join(['NULL'] * chain.width)} FROM {offers} x "
        f"JOIN {table['tr']} tr ON tr.id = x.role_id WHERE x.simulatedapplication_id = (SELECT id FROM sa) "
        f"UNION ALL SELECT {', '.join(['NULL'] * roles.width)}, {chain.select} {chain_text}) c ON 1 = 1 "
        f"ORDER BY {order}"
    )


def _token_application(
    token: str, *, slug: str, insz: str | None, hco: str | None
) -> tuple[SimulatedApplication | None, Person | None, CurrentChainState | None]:
    """The application the token belongs to, with its application and its roles (as
    ``prefetch_related("roles")`` leaves them), the person with the (compact) INSZ ``insz`` and the
    chain for the facility with HCO number ``hco`` (a ``CurrentChainState`` that decides from it),
    in one statement; read at every request, so a rotated token stops working at once in every
    process.

    The person and the chain are looked up from the token's own row, and only when that is the
    application ``slug`` (``insz`` / ``hco`` None: not at all, the state None): an unknown token, or
    another application's, reads nothing about them. Of the person, only their id: the decision
    needs no more, and the API names nobody by the INSZ it is given."""
    if not token:
        return None, None, None
    columns = joined_columns(connection.vendor, *_TOKEN_PARTS, *DECISION_PARTS)
    with prepared_cursor() as cursor:
        cursor.execute(_read_sql(connection.vendor), [token_digest(token), slug, insz, slug, hco])
        rows = cursor.fetchall()
    if not rows:
        return None, None, None
    seen = {}
    found = [columns.instances(row, seen) for row in rows]
    app, person = found[0]["sa"], found[0]["p"]
    app.application = found[0]["ap"]
    required = [row["tr"] for row in found if row["tr"] is not None]
    app._prefetched_objects_cache = {"roles": queryset_holding(app.roles.all(), required)}
    if hco is None or app.slug != slug:
        return app, person, None
    role_ids = [role.pk for role in required]
    chain = chain_build(
        [row for row in found if row["f"] is not None],
        application_id=app.application_id,
        person=person,
        role_ids=role_ids,
    )
    key = CurrentChainState.read_key(
        hco=hco,
        application_id=app.application_id,
        person_id=person.pk if person is not None else None,
        role_ids=role_ids,
    )
    return app, person, CurrentChainState(read=(key, chain))


def _parameter_errors(params) -> tuple[dict, str]:
    """The Dutch message per faulty parameter, and the compact INSZ."""
    errors, insz = {}, ""
    if not params.get("toepassing", "").strip():
        errors["toepassing"] = _("De parameter toepassing ontbreekt (bijvoorbeeld evipa, eloket of belrai).")
    raw_insz = params.get("insz", "").strip()
    if not raw_insz:
        errors["insz"] = _("De parameter insz ontbreekt: het INSZ-nummer van de persoon.")
    else:
        try:
            insz = insz_clean(raw_insz)
        except ValidationError as error:
            errors["insz"] = " ".join(error.messages)
    hco = params.get("hco", "").strip()
    if not hco:
        errors["hco"] = _("De parameter hco ontbreekt: het HCO-nummer van de voorziening.")
    elif not hco.isdigit():
        errors["hco"] = _("Een HCO-nummer bestaat enkel uit cijfers.")
    elif len(hco) > 12:
        errors["hco"] = _("Een HCO-nummer bestaat uit hoogstens 12 cijfers.")
    if params.get("moment", "").strip():
        try:
            moment_parse(params["moment"])
        except ValidationError as error:
            errors["moment"] = " ".join(error.messages)
    return errors, insz


def _diagnosis(decision) -> list[dict]:
    return [
        {
            "schakel": link.key,
            "titel": link.title,
            "status": LINK_STATUSES.get(link.status, "in_afwachting"),
            "uitleg": link.message,
            "op_te_lossen_door": [{"naam": f.name, "hoedanigheid": f.capacity} for f in link.fixers],
            "handleiding": link.manual,
            "van_kracht_vanaf": _iso(link.pending_until),
        }
        for link in decision.links
    ]


@csrf_exempt  # no cookies involved: a POST must get its 405, not a CSRF page
def access_decision(request):
    with translation.override("nl"):
        return _access_decision(request)


def _access_decision(request):
    if request.method not in ("GET", "HEAD"):
        return _json({"fout": _("Alleen GET is toegestaan.")}, status=405, Allow="GET, HEAD")
    token = _bearer_token(request)
    slug = request.GET.get("toepassing", "").strip()
    errors, insz = _parameter_errors(request.GET)  # no reads: answered after the token's checks
    hco = request.GET.get("hco", "").strip()
    past = bool(request.GET.get("moment", "").strip())
    # the chain in the same statement, unless a parameter is faulty or the past is asked
    app, person, current = _token_application(
        token, slug=slug, insz=None if errors else insz, hco=None if errors or past else hco
    )
    if app is None:
        message = (
            _("Het token is ongeldig.")
            if token
            else _("Authenticatie vereist: stuur het token van de toepassing als Authorization: Bearer.")
        )
        challenge = f'{REALM}, error="invalid_token"' if token else REALM
        return _json({"fout": message}, status=401, WWW_Authenticate=challenge)
    if slug and slug != app.slug:
        return _json(
            {"fout": _("Dit token geeft enkel toegang tot de beslissingen van %(app)s.") % {"app": app.slug}},
            status=403,
        )
    if errors:
        return _json({"fout": _("Ongeldige parameters."), "parameters": errors}, status=400)
    moment = moment_parse(request.GET["moment"]) if past else None
    state = PastChainState(moment) if moment is not None else current
    decision = access_decide(person=person, app=app, hco=hco, name_the_person=False, state=state)
    return _json(
        {
            "toepassing": app.slug,
            "hco": hco,
            "moment": _iso(moment),
            "beslissing": DECISIONS.get(decision.status, "GEWEIGERD"),
            "van_kracht_vanaf": _iso(decision.effective_at),
            "rollen": decision.roles,
            "diagnose": _diagnosis(decision),
        }
    )
