"""The sector catalogue: hoedanigheden, subdivisies, beveiligde toepassingen, roles and the simulated
applications, as the manual lists them (editable afterwards in the admin), and ``catalogue_ensure``,
the one loader every world (demo, scale, sandboxes, tests) creates it with."""

from enterprises.models import Application, Hoedanigheid, SubdivisionType
from roles.models import Role, SimulatedApplication

SUBDIVISION_TYPES = [
    ("gezondheidszorg", "Gezondheidszorg"),
    ("thuiszorg", "Thuiszorg"),
    ("residentiele-zorginstelling", "Residentiële zorginstelling"),
    ("jeugdhulp", "Jeugdhulp"),
]

# code, name, description (manual 3.6.1 and chapter 4 step 7)
APPLICATIONS = [
    (
        "ebmpracticenet",
        "EBMPracticeNet",
        "Consultatie van een gratis online kennisdatabank met praktijkrichtlijnen en algemene EBM-informatie "
        "(Evidence-Based Medicine)",
    ),
    ("ehealthbox", "eHealthBox", "Elektronisch postvak eHealth"),
    (
        "ehealth-certificate-manager",
        "eHealth Platform Certificate Manager",
        "WS om automatisch overdracht van de aanvragen van eHealth certificaten",
    ),
    ("e-loket-departement-zorg", "E-loket Departement Zorg", "E-loket Departement Zorg"),
    (
        "etee-manage",
        "End to End Encryption REST service - Manage functionality",
        "Allow the creation and delete of encryption keys and the consultation of encryption key information "
        "through the ETEE REST service",
    ),
    (
        "etee-read",
        "End to End Encryption REST service - Read functionality",
        "Allow the consultation of encryption key information through the ETEE REST service",
    ),
    ("raas", "RaaS", "RVT als dienst"),
    (
        "vipa",
        "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden",
        "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden",
    ),
    ("webfx", "WebFX", "eHealth Web Application for File Exchange for Batch applications"),
    (
        "vesta",
        "VESTA",
        "Elektronische gegevensuitwisseling voor het Vlaams Agentschap voor Zorg en Gezondheid.",
    ),
    ("cirro", "CIRRO", "Communicatie, Interactie, Resultaatsgerichtheid, Registratie, Ondersteuning"),
]

ALL_APPLICATIONS = [code for code, _name, _description in APPLICATIONS]

# code, name, subdivision types, applications
HOEDANIGHEDEN = [
    (
        "ehealth-gezondheidszorg",
        "eHealth Gezondheidszorg",
        ["gezondheidszorg", "thuiszorg"],
        ALL_APPLICATIONS,
    ),
    ("jeugdhulp", "Jeugdhulp", ["jeugdhulp"], ALL_APPLICATIONS),
    (
        "residentiele-zorginstelling",
        "Residentiële zorginstelling",
        ["residentiele-zorginstelling"],
        ALL_APPLICATIONS,
    ),
    ("behandelingscentrum", "Behandelingscentrum", [], []),
    ("economie", "Economie", [], []),
    ("werkgever-rsz", "Werkgever RSZ", [], []),
]

# The sixteen roles of manual 3.6.2, in the manual's order; all belong to E-loket Departement Zorg.
ROLES = [
    "BelRAI VL - zorgverlener met certificaat",
    "VSB caRat - factureerder",
    "BelRAI VL - admin",
    "VSB caRat - consultant",
    "BelRAI VL - indicatiesteller zorgbudgetten",
    "BelRAI VL - controleorgaan",
    "e-loket - Beheer Financiële gegevens",
    "Regisseur binnen een voorziening (1G1P)",
    "VSB caRat - aanvrager",
    "VSB caRat - administrator",
    "Wachtlijstbeheerder binnen een voorziening (INSISTO)",
    "Groepsbeheerder binnen een voorziening (INSISTO)",
    "BelRAI VL - zorgverlener zonder certificaat",
    "Moduleerder",
    "BelRAI VL - bezwaarcommissie",
    "Aanmelder binnen een voorziening (INSISTO)",
]
ROLE_APPLICATION = "e-loket-departement-zorg"

# The simulated applications of the Departement Zorg (slug, name, tagline, required right, roles):
# eVIPA needs the VIPA right and no role, E-loket its right, BelRAI the E-loket right and a
# "BelRAI VL" role (DESIGN.md).
SIMULATED_APPLICATIONS = [
    (
        "evipa",
        "eVIPA",
        "Het e-loket van het Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden",
        "vipa",
        "",
    ),
    ("eloket", "E-loket Departement Zorg", "Uw dossiers bij het Departement Zorg", ROLE_APPLICATION, ""),
    (
        "belrai",
        "BelRAI",
        "Het webgebaseerde beoordelingsinstrument voor zorgnoden",
        ROLE_APPLICATION,
        "BelRAI VL - ",
    ),
]


def catalogue_ensure() -> None:
    """Create the sector catalogue where it is missing; leave a trainer's edits alone."""
    types = {
        code: SubdivisionType.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in SUBDIVISION_TYPES
    }
    apps = {}
    for order, (code, name, description) in enumerate(APPLICATIONS):
        apps[code] = Application.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )[0]
    for order, (code, name, type_codes, app_codes) in enumerate(HOEDANIGHEDEN):
        hoedanigheid, created = Hoedanigheid.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        if created:
            hoedanigheid.subdivision_types.set([types[c] for c in type_codes])
            hoedanigheid.applications.set([apps[c] for c in app_codes])
    for order, name in enumerate(ROLES):
        Role.objects.get_or_create(
            name=name, defaults={"application": apps[ROLE_APPLICATION], "sort_order": order}
        )
    for slug, name, tagline, app_code, role_prefix in SIMULATED_APPLICATIONS:
        simulated, created = SimulatedApplication.objects.get_or_create(
            slug=slug, defaults={"name": name, "tagline": tagline, "application": apps[app_code]}
        )
        if created and role_prefix:
            simulated.roles.set(Role.objects.filter(name__startswith=role_prefix))
