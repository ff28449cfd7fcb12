""" "Gebruikers importeren" (issue 19) in the browser: the subafdelingsbeheerder downloads the template,
uploads a file with two mistakes, reads the dry run's report, fixes the file, uploads it again and
confirms 25 users; the progress bar follows the task (run here in two parts, as a worker killed
half-way and started again would), the page shows the result, the list and the export have them."""

import csv
import io

import pytest
from playwright.sync_api import expect

from accessportal.identifiers import insz_portal_format
from tests.e2e.screens import give_session
from tests.factories import PersonFactory
from users import imports
from users.models import SubafdelingUser, UserImport
from worlds.numbers import insz_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIPA = "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden"


class WorkerKilled(Exception):
    pass


def csv_payload(rows) -> dict:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["INSZ", "E-mailadres", "Lokaal e-mailadres", "Taalkeuze", "Beveiligde toepassingen"])
    writer.writerows(rows)
    return {
        "name": "verpleegkundigen.csv",
        "mimeType": "text/csv",
        "buffer": ("\ufeff" + out.getvalue()).encode(),
    }


def test_an_access_manager_imports_25_nurses(portal, world, tmp_path, monkeypatch):
    main = world.main
    nurses = [PersonFactory(insz=insz_for(60_000 + n)) for n in range(25)]
    rows = [
        [insz_portal_format(p.insz), f"verpleegkundige{n}@zorg.be", "", "nl", VIPA]
        for n, p in enumerate(nurses)
    ]
    wrong = [list(row) for row in rows]
    wrong[3][1] = "verpleegkundige3-zorg.be"
    wrong[7][0] = "85.07.30-033.29"
    scheduled = []
    monkeypatch.setattr(imports, "_schedule", scheduled.append)  # the worker is this test, below

    give_session(portal, main.sb, portal.url_for(""))
    portal.goto(portal.url_for(f"/toegangsbeheer/subafdelingen/{main.subafdeling.pk}/gebruikers/"))
    portal.get_by_role("link", name="Gebruikers importeren").click()
    expect(portal.get_by_role("heading", name="Gebruikers importeren", exact=True)).to_be_visible()
    with portal.expect_download() as template:
        portal.get_by_role("link", name="Excel (.xlsx)").click()
    assert template.value.suggested_filename == "gebruikers-importeren.xlsx"
    portal.screenshot(path=tmp_path / "1-importeren.png", full_page=True)

    # The dry run of a file with two mistakes: the report per row, nothing written.
    portal.get_by_label("Bestand (.csv of .xlsx)").set_input_files(csv_payload(wrong))
    portal.get_by_role("button", name="Controleren").click()
    expect(portal.get_by_role("heading", name="Gebruikers importeren: controle")).to_be_visible()
    expect(portal.get_by_text("23 nieuwe gebruikers")).to_be_visible()
    expect(portal.get_by_text("2 regels met een fout: die worden niet geïmporteerd")).to_be_visible()
    expect(
        portal.get_by_text("E-mailadres: Geef een geldig e-mailadres in, bv. naam@voorbeeld.be.")
    ).to_be_visible()
    expect(
        portal.get_by_text("INSZ: Dit INSZ-nummer is ongeldig: het controlegetal klopt niet.")
    ).to_be_visible()
    expect(portal.get_by_text("Krijgt onmiddellijk toegang tot: " + VIPA).first).to_be_visible()
    portal.screenshot(path=tmp_path / "2-controle-met-fouten.png", full_page=True)
    assert SubafdelingUser.objects.filter(subafdeling=main.subafdeling).count() == 1

    # "Terug": the fixed file, checked again.
    portal.get_by_role("link", name="Terug").click()
    portal.get_by_label("Bestand (.csv of .xlsx)").set_input_files(csv_payload(rows))
    portal.get_by_role("button", name="Controleren").click()
    expect(portal.get_by_text("25 nieuwe gebruikers")).to_be_visible()
    expect(portal.get_by_text("0 regels met een fout: die worden niet geïmporteerd")).to_be_visible()

    # "Bevestigen": the progress bar, polled while the task runs.
    portal.get_by_role("button", name="Bevestigen").click()
    expect(portal.get_by_role("heading", name="Gebruikers importeren: bezig")).to_be_visible()
    progress = portal.get_by_role("progressbar", name="Voortgang van de import")
    expect(progress).to_have_attribute("max", "25")
    expect(progress).to_have_attribute("value", "0")
    user_import = UserImport.objects.get(pk=scheduled[0])
    real_apply, applied = imports._row_apply, []

    def killed_after_ten(*args):
        if len(applied) == 10:
            raise WorkerKilled
        applied.append(args[1])
        return real_apply(*args)

    with monkeypatch.context() as patch, pytest.raises(WorkerKilled):
        patch.setattr(imports, "_row_apply", killed_after_ten)
        imports.user_import_run(user_import_id=user_import.pk)
    expect(portal.get_by_text("10 van 25 regels verwerkt.")).to_be_visible()
    expect(progress).to_have_attribute("value", "10")
    portal.screenshot(path=tmp_path / "3-bezig.png", full_page=True)
    assert imports.user_import_run(user_import_id=user_import.pk) == 15  # started again: the rest

    expect(portal.get_by_role("heading", name="Gebruikers importeren: resultaat")).to_be_visible()
    expect(portal.get_by_text("25 nieuwe gebruikers")).to_be_visible()
    portal.screenshot(path=tmp_path / "4-resultaat.png", full_page=True)
    with portal.expect_download() as report:
        portal.get_by_role("link", name="Het verslag downloaden (.csv)").click()
    assert "Nieuwe gebruiker" in report.value.path().read_text(encoding="utf-8-sig")

    # The list and its export.
    portal.get_by_role("link", name="Naar de gebruikers van de subafdeling").click()
    expect(portal.get_by_text("26 items gevonden.")).to_be_visible()
    with portal.expect_download() as export:
        portal.get_by_role("link", name="*De gebruikers exporteren (.csv)").click()
    exported = export.value.path().read_text(encoding="utf-8-sig")
    assert all(insz_portal_format(p.insz) in exported for p in nurses)
    assert SubafdelingUser.objects.filter(subafdeling=main.subafdeling).count() == 26
