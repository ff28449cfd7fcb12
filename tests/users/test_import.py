""" "Gebruikers importeren" (issue 19 part 1): the dry run's report per row, the limits of the file, the
import as a Celery task (run eagerly here) that is idempotent and resumes without doubles, the result
as an injection-safe CSV, one summary mail."""

import csv
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accessportal.identifiers import insz_format
from accessportal.models import AuditEvent, OutboxMail
from identity.models import Person
from tests.factories import PersonFactory
from users import import_files, imports, services
from users.models import (
    ApplicationRight,
    ImportAction,
    ImportStatus,
    SubafdelingUser,
    UserImport,
    UserImportRow,
)
from worlds.numbers import insz_for

pytestmark = pytest.mark.django_db

HEADER = ["INSZ", "E-mailadres", "Lokaal e-mailadres", "Taalkeuze", "Beveiligde toepassingen"]
VIPA_NAME = "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden"
ELOKET_NAME = "E-loket Departement Zorg"


def csv_file(rows, *, delimiter=";", bom=True, header=HEADER, name="gebruikers.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    content = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="gebruikers.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def import_url(subafdeling, name="import", user_import=None, **kwargs) -> str:
    kwargs = {"subafdeling_id": subafdeling.pk, **kwargs}
    if user_import is not None:
        kwargs["import_id"] = user_import.pk
    return reverse(f"users:{name}", kwargs=kwargs)


def upload(client, subafdeling, file):
    return client.post(import_url(subafdeling), {"file": file})


def checked(client, subafdeling, file) -> UserImport:
    response = upload(client, subafdeling, file)
    assert response.status_code == 302, response.content.decode()[:3000]
    return UserImport.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def confirm(client, subafdeling, user_import, capture):
    with capture(execute=True):
        response = client.post(import_url(subafdeling, "import-confirm", user_import))
    assert response.status_code == 302
    user_import.refresh_from_db()
    return user_import


def new_people(count, start=0):
    return [PersonFactory(insz=insz_for(70_000 + start + n)) for n in range(count)]


def written() -> tuple[int, int, int]:
    return (
        SubafdelingUser.objects.count(),
        ApplicationRight.objects.count(),
        AuditEvent.objects.filter(action__in=("user.add", "user.update", "users.remove")).count(),
    )


@pytest.fixture
def manager(client, world):
    client.force_login(world.main.sb)
    return world.main


# --- The dry run --------------------------------------------------------------------------------------


def test_the_dry_run_reports_each_kind_of_bad_row_and_writes_nothing(client, manager, catalogue):
    good, twice, existing_person = new_people(3)
    user = manager.user  # a user with E-loket
    unknown_insz = insz_for(99_000)
    rows = [
        [good.insz, "goed@zorg.be", "", "fr", VIPA_NAME],  # 2: new
        ["85.07.30-033.29", "a@zorg.be", "", "", ""],  # 3: check digit
        [unknown_insz, "b@zorg.be", "", "", ""],  # 4: not in the register
        [twice.insz, "", "", "", ""],  # 5: no e-mail address
        [twice.insz, "c@zorg.be", "", "", ""],  # 6: twice in the file
        [existing_person.insz, "geen-adres", "x@", "", ""],  # 7: both addresses invalid
        [insz_for(70_010), "d@zorg.be", "", "klingon", ""],  # 8: language (person unknown too)
        [user.person.insz, "e@zorg.be", "", "", "Onbestaande toepassing"],  # 9: unknown application
        [user.person.insz, "e@zorg.be", "", "", "EBMPracticeNet"],  # 10: twice (and not authorised)
        ['=HYPERLINK("http://x")', "=1+1", "", "", ""],  # 11: formulas
    ]
    before = written()
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    assert written() == before
    assert user_import.status == ImportStatus.GECONTROLEERD
    report = {row.line: row for row in user_import.rows.all()}
    assert report[2].action == ImportAction.NIEUW and report[2].changes["gains"] == [VIPA_NAME]
    expected = {
        3: "INSZ: Dit INSZ-nummer is ongeldig: het controlegetal klopt niet.",
        4: "INSZ: Deze persoon is niet gekend in het rijksregister.",
        5: "E-mailadres: Dit veld is verplicht.",
        6: "INSZ: Deze persoon staat al op regel 5 van het bestand.",
        7: "E-mailadres: Geef een geldig e-mailadres in",
        8: "Taalkeuze: Kies nl, fr, de of en.",
        9: "Beveiligde toepassingen: Deze toepassingen bestaan niet: Onbestaande toepassing.",
        10: "INSZ: Deze persoon staat al op regel 9 van het bestand.",
        11: "INSZ: deze cel bevat een formule; formules worden niet uitgevoerd.",
    }
    for line, message in expected.items():
        assert report[line].action == ImportAction.FOUT, line
        assert message in report[line].message, (line, report[line].message)
    assert "Lokaal e-mailadres: Geef een geldig e-mailadres in" in report[7].message
    assert "E-mailadres: deze cel bevat een formule" in report[11].message
    page = client.get(import_url(manager.subafdeling, "import-report", user_import)).content.decode()
    assert "Dit INSZ-nummer is ongeldig: het controlegetal klopt niet." in page
    assert "Krijgt onmiddellijk toegang tot: " + VIPA_NAME in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page  # shown as text, escaped
    assert "Er werd nog niets gewijzigd." in page


def test_an_application_not_authorised_and_an_existing_user(client, manager, catalogue):
    user = manager.user  # E-loket
    rows = [[user.person.insz, user.email, "", "", "EBMPracticeNet"]]
    report = checked(client, manager.subafdeling, csv_file(rows)).rows.get()
    assert report.message == (
        "Beveiligde toepassingen: Deze toepassingen zijn niet geautoriseerd op de subafdeling: EBMPracticeNet."
    )
    same = checked(
        client,
        manager.subafdeling,
        csv_file([[user.person.insz, user.email, "", "", "e-loket-departement-zorg"]]),
    )
    assert same.rows.get().action == ImportAction.ONGEWIJZIGD
    change = checked(
        client, manager.subafdeling, csv_file([[user.person.insz, "nieuw@zorg.be", "", "fr", "vipa"]])
    )
    row = change.rows.get()
    assert row.action == ImportAction.WIJZIGING
    assert row.changes["gains"] == [VIPA_NAME] and row.changes["loses"] == [ELOKET_NAME]
    description = imports.row_description(row)
    assert "Krijgt onmiddellijk toegang tot: " + VIPA_NAME in description
    assert "Verliest onmiddellijk de toegang tot: " + ELOKET_NAME in description
    assert "E-mailadres: " + user.email + " → nieuw@zorg.be." in description
    assert "Taalkeuze: Nederlands → Frans." in description


def test_ten_good_and_ten_bad_rows_then_bevestigen_twice(
    client, manager, catalogue, django_capture_on_commit_callbacks, mailoutbox
):
    people = new_people(10)
    good = [
        [p.insz, f"persoon{n}@zorg.be", "", "", f"{VIPA_NAME}, {ELOKET_NAME}"] for n, p in enumerate(people)
    ]
    bad = [[insz_for(80_000 + n), f"x{n}@zorg.be", "", "", ""] for n in range(5)]  # not in the register
    bad += [[people[n].insz, "niet-geldig", "", "", ""] for n in range(5)]  # twice, and a bad address
    users_before, rights_before, audits_before = written()
    user_import = checked(client, manager.subafdeling, csv_file(good + bad))
    assert written() == (users_before, rights_before, audits_before)
    counts = imports.import_counts(user_import)
    assert (counts["nieuw"], counts["fout"]) == (10, 10)

    user_import = confirm(client, manager.subafdeling, user_import, django_capture_on_commit_callbacks)
    assert user_import.status == ImportStatus.KLAAR
    assert SubafdelingUser.objects.count() == users_before + 10
    assert ApplicationRight.objects.count() == rights_before + 20
    assert AuditEvent.objects.filter(action="user.add").count() == 10 + 2  # and the two sides' own users
    assert AuditEvent.objects.filter(action="users.import").count() == 1
    added = SubafdelingUser.objects.get(subafdeling=manager.subafdeling, person=people[0])
    assert sorted(added.rights.values_list("application__code", flat=True)) == [
        "e-loket-departement-zorg",
        "vipa",
    ]
    assert added.language == people[0].language
    mails = OutboxMail.objects.filter(subject__startswith="Import van gebruikers")
    assert mails.count() == 1
    assert mails.get().recipient == manager.sb.email
    assert "Nieuwe gebruikers: 10" in mails.get().body and "Niet geïmporteerd (fout): 10" in mails.get().body

    # A second "Bevestigen" of the same import, and the same file checked and confirmed again.
    after = written()
    confirm(client, manager.subafdeling, user_import, django_capture_on_commit_callbacks)
    again = checked(client, manager.subafdeling, csv_file(good + bad))
    assert imports.import_counts(again)["ongewijzigd"] == 10
    confirm(client, manager.subafdeling, again, django_capture_on_commit_callbacks)
    assert written() == after
    assert again.status == ImportStatus.KLAAR


def test_xlsx_csv_with_bom_and_semicolon_and_csv_with_comma(client, manager, catalogue):
    people = new_people(3)
    born_2001 = PersonFactory(insz=insz_for(5, born=__import__("datetime").date(2001, 1, 1)))
    assert born_2001.insz.startswith("01")
    xlsx = xlsx_file(
        [
            [int(born_2001.insz), "a@zorg.be", None, "nl", VIPA_NAME],
            [insz_format(people[0].insz), "b@zorg.be", "", "Frans", "vipa"],
        ]
    )
    rows = checked(client, manager.subafdeling, xlsx).rows.all()
    assert [row.action for row in rows] == [ImportAction.NIEUW, ImportAction.NIEUW], [r.message for r in rows]
    assert rows[0].insz == born_2001.insz  # Excel's number lost its leading 0; the import gives it back
    semicolon = csv_file([[people[1].insz, "c@zorg.be", "", "", "vipa"]], delimiter=";", bom=True)
    assert checked(client, manager.subafdeling, semicolon).rows.get().action == ImportAction.NIEUW
    comma = csv_file(
        [[people[2].insz, "d@zorg.be", "", "", f"{VIPA_NAME},{ELOKET_NAME}"]], delimiter=",", bom=False
    )
    row = checked(client, manager.subafdeling, comma).rows.get()
    assert row.action == ImportAction.NIEUW and len(row.changes["gains"]) == 2


def test_an_exported_file_is_read_back(client, manager, catalogue):
    """The export's columns (Naam, Voornaam, ..., E-mailadres, Beveiligde toepassingen) read as they are."""
    export = client.get(reverse("users:export", kwargs={"subafdeling_id": manager.subafdeling.pk}))
    content = b"".join(export.streaming_content)
    user_import = checked(client, manager.subafdeling, SimpleUploadedFile("export.csv", content))
    assert [row.action for row in user_import.rows.all()] == [ImportAction.ONGEWIJZIGD]


def test_the_templates_have_the_columns(client, manager):
    csv_template = client.get(import_url(manager.subafdeling, "import-template", kind="csv"))
    assert csv_template.content.decode("utf-8-sig").strip() == ";".join(HEADER)
    xlsx_template = client.get(import_url(manager.subafdeling, "import-template", kind="xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx_template.content), read_only=True).worksheets[0]
    assert list(next(sheet.iter_rows(values_only=True))) == HEADER
    assert client.get(import_url(manager.subafdeling, "import-template", kind="xls")).status_code == 404


# --- Files that are refused whole ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, message",
    [
        (
            SimpleUploadedFile(
                "groot.csv", b"INSZ;E-mailadres;Beveiligde toepassingen\n" + b"x" * (2 * 1024 * 1024)
            ),
            "Het bestand is te groot: hoogstens 2 MB.",
        ),
        (
            csv_file([[insz_for(n), "a@zorg.be", "", "", ""] for n in range(import_files.MAX_ROWS + 1)]),
            "Het bestand telt meer dan 5000 gebruikers.",
        ),
        (csv_file([], header=["INSZ", "E-mail"]), "deze ontbreken: E-mailadres, Beveiligde toepassingen"),
        (csv_file([]), "Het bestand bevat geen gebruikers"),
        (SimpleUploadedFile("oud.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), "Oude Excel-bestanden (.xls)"),
        (
            SimpleUploadedFile(
                "latin.csv", "INSZ;E-mailadres;Beveiligde toepassingen\n1;é;x".encode("latin-1")
            ),
            "niet in UTF-8",
        ),
        (SimpleUploadedFile("kapot.xlsx", b"PK\x03\x04kapot"), "Dit Excel-bestand kan niet gelezen worden"),
        (SimpleUploadedFile("leeg.csv", b""), "Dit bestand is leeg."),
    ],
    ids=["too-big", "too-many-rows", "columns", "no-rows", "xls", "latin-1", "broken-xlsx", "empty"],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_message(client, manager, file, message):
    response = upload(client, manager.subafdeling, file)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="error-summary"' in page
    assert "<title>Fout: Gebruikers importeren" in page
    assert not UserImport.objects.exists()


# --- The task: killed mid-way, resumed ----------------------------------------------------------------


def test_the_import_killed_mid_way_resumes_without_doubles(
    client, manager, catalogue, django_capture_on_commit_callbacks
):
    people = new_people(10)
    rows = [[p.insz, f"p{n}@zorg.be", "", "", "vipa"] for n, p in enumerate(people)]
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    with django_capture_on_commit_callbacks(execute=False) as scheduled:  # the broker takes the task
        client.post(import_url(manager.subafdeling, "import-confirm", user_import))
    assert len(scheduled) == 1
    real_add, calls = services.user_add, []

    def dies_at_the_fourth(**kwargs):
        calls.append(kwargs["person"])
        if len(calls) == 4:
            raise SystemExit("worker killed")  # not a refusal: the row's transaction rolls back
        return real_add(**kwargs)

    users_before = SubafdelingUser.objects.count()
    with mock.patch.object(services, "user_add", dies_at_the_fourth), pytest.raises(SystemExit):
        imports.user_import_run(user_import_id=user_import.pk)
    assert SubafdelingUser.objects.count() == users_before + 3
    assert user_import.rows.filter(done_at__isnull=False).count() == 3
    user_import.refresh_from_db()
    assert user_import.status == ImportStatus.BEZIG
    progress = client.get(
        import_url(manager.subafdeling, "import-report", user_import),
        headers={"HX-Request": "true", "HX-Target": "voortgang"},
    ).content.decode()
    assert 'value="3"' in progress and 'max="10"' in progress and "every 1s" in progress

    assert imports.user_import_run(user_import_id=user_import.pk) == 7  # Celery delivers it again
    assert imports.user_import_run(user_import_id=user_import.pk) == 0  # and once more: nothing
    assert SubafdelingUser.objects.count() == users_before + 10
    assert (
        AuditEvent.objects.filter(action="user.add", after__person__in=[p.insz for p in people]).count() == 10
    )
    assert OutboxMail.objects.filter(subject__startswith="Import van gebruikers").count() == 1
    user_import.refresh_from_db()
    assert user_import.status == ImportStatus.KLAAR
    done = client.get(
        import_url(manager.subafdeling, "import-report", user_import),
        headers={"HX-Request": "true", "HX-Target": "voortgang"},
    )
    assert done["HX-Refresh"] == "true"


def test_a_row_refused_at_run_time_is_reported_and_the_rest_goes_on(
    client, manager, catalogue, django_capture_on_commit_callbacks
):
    people = new_people(2)
    rows = [[p.insz, f"p{n}@zorg.be", "", "", "vipa"] for n, p in enumerate(people)]
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    services.user_add(actor=manager.sb, subafdeling=manager.subafdeling, person=people[0], email="al@zorg.be")
    user_import = confirm(client, manager.subafdeling, user_import, django_capture_on_commit_callbacks)
    first, second = user_import.rows.all()
    assert first.result == ImportAction.WIJZIGING  # planned again: a user now, who gains VIPA
    assert second.result == ImportAction.NIEUW
    assert (
        SubafdelingUser.objects.get(subafdeling=manager.subafdeling, person=people[0]).email == "p0@zorg.be"
    )


# --- The report as CSV, the permission, the queries ---------------------------------------------------


def test_the_report_as_csv_never_re_emits_a_formula(client, manager, catalogue):
    rows = [["=cmd|' /C calc'!A0", "@SUM(1)", "", "", ""], ["+32", "-1", "", "", "\tvipa"]]
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    response = client.get(import_url(manager.subafdeling, "import-download", user_import))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(content), delimiter=";") for cell in line]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)


def test_an_import_of_another_subafdeling_is_not_found(client, world, catalogue):
    outsider = world.outsider
    client.force_login(outsider.sb)
    theirs = checked(
        client, outsider.subafdeling, csv_file([[outsider.user.person.insz, "x@zorg.be", "", "", ""]])
    )
    client.force_login(world.main.sb)
    # the main side's own subafdeling in the URL, the outsider's import id: 404, and the other way round
    assert client.get(import_url(world.main.subafdeling, "import-report", theirs)).status_code == 404
    assert client.get(import_url(outsider.subafdeling, "import-report", theirs)).status_code == 404
    assert client.post(import_url(world.main.subafdeling, "import-confirm", theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ImportStatus.GECONTROLEERD


def test_a_user_of_the_subafdeling_may_not_import(client, world):
    client.force_login(world.main.user_person)
    assert client.get(import_url(world.main.subafdeling)).status_code == 404


def test_the_report_page_reads_a_fixed_number_of_rows(client, manager, catalogue):
    rows = [[insz_for(90_000 + n), f"x{n}@zorg.be", "", "", ""] for n in range(300)]
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(import_url(manager.subafdeling, "import-report", user_import))
    assert response.status_code == 200
    assert response.content.decode().count("<tr") == 101  # one page of 100 rows, and the header
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_annuleren_removes_the_plan(client, manager, catalogue):
    user_import = checked(
        client, manager.subafdeling, csv_file([[manager.user.person.insz, "x@zorg.be", "", "", ""]])
    )
    response = client.post(import_url(manager.subafdeling, "import-cancel", user_import))
    assert response.status_code == 302
    assert not UserImport.objects.exists() and not UserImportRow.objects.exists()


def test_the_list_offers_the_import(client, manager):
    page = client.get(
        reverse("users:list", kwargs={"subafdeling_id": manager.subafdeling.pk})
    ).content.decode()
    assert import_url(manager.subafdeling) in page and "Gebruikers importeren" in page


def test_a_stalled_import_is_handed_to_celery_again_once(
    client, manager, catalogue, django_capture_on_commit_callbacks, frozen_clock
):
    people = new_people(2)
    user_import = checked(
        client, manager.subafdeling, csv_file([[p.insz, "p@zorg.be", "", "", ""] for p in people])
    )
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        client.post(import_url(manager.subafdeling, "import-confirm", user_import))
    polled = {"headers": {"HX-Request": "true", "HX-Target": "voortgang"}}
    report = import_url(manager.subafdeling, "import-report", user_import)
    scheduled = []
    with mock.patch.object(imports, "_schedule", scheduled.append):
        client.get(report, **polled)
        assert scheduled == []  # not stalled yet
        frozen_clock.advance(minutes=3)
        client.get(report, **polled)
        client.get(report, **polled)
    assert scheduled == [user_import.pk]
    imports.user_import_run(user_import_id=user_import.pk)
    assert SubafdelingUser.objects.filter(person__in=people).count() == 2


def test_the_pager_swaps_only_the_rows(client, manager, catalogue):
    rows = [[insz_for(91_000 + n), f"x{n}@zorg.be", "", "", ""] for n in range(150)]
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    page = client.get(
        import_url(manager.subafdeling, "import-report", user_import) + "?pagina=2",
        headers={"HX-Request": "true", "HX-Target": "regels"},
    ).content.decode()
    assert (
        page.strip().startswith('<div id="regels">') and page.count("<tr") == 51 and "Bevestigen" not in page
    )


# --- "Wat verandert er?" before "Bevestigen" (issue 19 part 2) ------------------------------------------


def report_of_people(client, manager, count: int) -> tuple[str, int]:
    """The check's report of ``count`` new people with E-loket and the main user moved to eVIPA: the
    page and its number of queries."""
    people = Person.objects.bulk_create(PersonFactory.build_batch(count))
    user = manager.user
    rows = [[person.insz, f"n{person.insz}@zorg.be", "", "", ELOKET_NAME] for person in people]
    rows.append([user.person.insz, user.email, "", "", "vipa"])
    user_import = checked(client, manager.subafdeling, csv_file(rows))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(import_url(manager.subafdeling, "import-report", user_import)).content.decode()
    return page, len(queries)


def test_the_check_says_who_gains_and_loses_access_in_the_same_queries_for_2000_rows(
    client, manager, catalogue
):
    report_of_people(client, manager, 1)  # the catalogues read once, then from the cache
    page, few = report_of_people(client, manager, 20)
    assert "Wat verandert er?" in page
    assert "20 gebruikers krijgen toegang tot E-loket Departement Zorg (onmiddellijk)." in page
    name = manager.user.person.full_name
    assert f"{name} krijgt toegang tot eVIPA (onmiddellijk)." in page
    assert f"{name} verliest de toegang tot E-loket Departement Zorg (onmiddellijk)." in page
    assert page.index("Wat verandert er?") < page.index(">Bevestigen</button>")
    rows = written()
    page, many = report_of_people(client, manager, 2000)
    assert "2000 gebruikers krijgen toegang tot E-loket Departement Zorg (onmiddellijk)." in page
    assert "Pagina 1 van 80" in page  # the names, 25 a page
    assert written() == rows  # the report writes nothing
    assert many == few and many <= 10, (few, many)
