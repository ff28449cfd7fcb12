"""The Historiek and the map of the demo world's St Barbara (history app)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accessportal.identifiers import insz_compact
from identity.models import Person
from users.models import SubafdelingUser

pytestmark = pytest.mark.django_db

ST_BARBARA = "0422152314"


def person(insz: str) -> Person:
    return Person.objects.get(insz=insz_compact(insz))


@pytest.fixture
def demo(catalogue):
    call_command("seed_demo")


@pytest.fixture
def jan(demo, client):
    client.force_login(person("79.02.28-135.19"))
    return client


def test_st_barbara_timeline_in_order(jan):
    response = jan.get(reverse("history:enterprise", kwargs={"kbo": ST_BARBARA}))
    assert response.status_code == 200
    sentences = [entry.sentence for entry in response.context["entries"]]
    expected = [  # newest first
        "Nina Peeters voegde Lotte Willems toe als gebruiker van SINT-BARBARA-HERSELT",
        "Nina Peeters gaf Freddy Quintelier de rol BelRAI VL - zorgverlener met certificaat",
        "Nina Peeters voegde Freddy Quintelier toe als gebruiker van SINT-BARBARA-HERSELT",
        "Jan Claes stelde Nina Peeters aan als lokale beheerder van Residentiële zorginstelling",
        "Jan Claes activeerde de hoedanigheid Residentiële zorginstelling",
        "Jan Claes activeerde de hoedanigheid eHealth Gezondheidszorg",
        "Jan Claes stelde zichzelf aan als Hoofdtoegangsbeheerder",
        "KBO en CoBRHA: onderneming ingeschreven",
    ]
    positions = []
    for text in expected:
        found = [i for i, sentence in enumerate(sentences) if text in sentence]
        assert found, (text, sentences)
        positions.append(found[0])
    assert positions == sorted(positions)
    moments = [entry.moment for entry in response.context["entries"]]
    assert moments == sorted(moments, reverse=True)


def test_timeline_csv_is_injection_safe(jan, demo):
    nina = person("93.07.17-078.56")
    nina.first_name = "=HYPERLINK(1)"
    nina.save()
    response = jan.get(reverse("history:enterprise", kwargs={"kbo": ST_BARBARA}) + "?formaat=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["Wanneer", "Wie", "Wat"]
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_filters_narrow_and_bad_dates_change_nothing(jan):
    url = reverse("history:enterprise", kwargs={"kbo": ST_BARBARA})
    roles = jan.get(url, {"soort": "rollen"}).context["entries"]
    assert roles and all("rol" in entry.sentence for entry in roles)
    lotte = jan.get(url, {"persoon": "Lotte"}).context["entries"]
    assert len(lotte) == 2  # added as a user; her employment in the KBO
    assert "Nina Peeters voegde Lotte Willems toe als gebruiker" in lotte[0].sentence
    period = jan.get(url, {"van": "2015-01-01", "tot": "2015-12-31"}).context["entries"]
    assert period and all(e.moment.year == 2015 for e in period)
    bad = jan.get(url, {"van": "gisteren"})
    assert bad.status_code == 200
    assert "Geef een datum als jjjj-mm-dd" in bad.content.decode()
    assert list(bad.context["entries"]) == []


def test_the_map_now_and_before_lotte(jan):
    url = reverse("history:map", kwargs={"kbo": ST_BARBARA})
    now = jan.get(url).content.decode()
    assert (
        "Lotte Willems" in now
        and "Freddy Quintelier" in now
        and "<svg" in now
        and "<script" not in now.split("<figure")[1].split("</figure>")[0]
    )
    before = jan.get(url, {"op": "2024-03-03"}).content.decode()
    assert "Freddy Quintelier" in before and "Lotte Willems" not in before
    assert "Toestand op 03/03/2024" in before


def test_users_list_as_of_a_date(jan):
    lotte = SubafdelingUser.objects.get(person=person("01.12.03-046.95"))
    url = reverse("users:list", kwargs={"subafdeling_id": lotte.subafdeling_id})
    now = jan.get(url, {"op": "2024-03-04"})
    names = [row.person.first_name for row in now.context["rows"]]
    assert names == ["Freddy", "Lotte"]
    assert "Uitvoeren" not in now.content.decode()  # read-only: no action of the live list
    before = jan.get(url, {"op": "2024-03-03"})
    assert [row.person.first_name for row in before.context["rows"]] == ["Freddy"]
    future = jan.get(url, {"op": "2999-01-01"})
    assert "Deze datum ligt in de toekomst" in future.content.decode()
