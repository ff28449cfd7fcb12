"""The "Gestructureerde berichten" inbox: the person's own messages, newest first, paged in the
database, marked read by checkbox or by opening them; another person's message is a 404."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accessportal.messaging import message_mark_read, message_of, message_send, messages_of
from accessportal.models import StructuredMessage
from tests.factories import PersonFactory, StructuredMessageFactory

pytestmark = pytest.mark.django_db

INBOX = "/toegangsbeheer/berichten/"
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def els():
    return PersonFactory(first_name="Els", last_name="Janssens")


@pytest.fixture
def other():
    return PersonFactory(first_name="Marc", last_name="Vermeulen")


@pytest.fixture
def signed_in(client, els):
    client.force_login(els)
    return client


def messages_for(person, count, **fields):
    """``count`` messages, one minute apart; "Bericht 1" is the oldest."""
    return [
        StructuredMessageFactory(
            recipient=person, subject=f"Bericht {n}", created_at=START + timedelta(minutes=n), **fields
        )
        for n in range(1, count + 1)
    ]


def subjects(html: str) -> list[str]:
    return re.findall(r'/toegangsbeheer/berichten/\d+/">(Bericht \d+)</a>', html)


def unread_ids(person) -> set[int]:
    return set(
        StructuredMessage.objects.filter(recipient=person, read_at__isnull=True).values_list("pk", flat=True)
    )


def test_sign_in_required(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")
    assert client.post(INBOX, {"bericht": ["1"]})["Location"].startswith("/aanmelden/")


def test_empty_inbox(signed_in):
    page = signed_in.get(INBOX).text
    assert "Gestructureerde berichten" in page
    assert "U hebt geen gestructureerde berichten." in page
    assert "U hebt 0 berichten" not in page
    assert "Als gelezen markeren" not in page


def test_newest_first_unread_marked_only_own(signed_in, els, other):
    old, new = messages_for(els, 2)
    message_mark_read(recipient=els, message_ids=[old.pk])
    StructuredMessageFactory(recipient=other, subject="Bericht van een ander")
    page = signed_in.get(INBOX).text
    assert subjects(page) == ["Bericht 2", "Bericht 1"]
    assert "Bericht van een ander" not in page
    assert f'<strong><a href="/toegangsbeheer/berichten/{new.pk}/">Bericht 2</a></strong>' in page
    assert f'<a href="/toegangsbeheer/berichten/{old.pk}/">Bericht 1</a></td>' in page
    assert page.count('<span class="badge">Ongelezen</span>') == 1
    assert "U hebt 2 berichten." in page and "Er is 1 ongelezen bericht." in page
    assert f'name="bericht" value="{new.pk}"' in page and f'name="bericht" value="{old.pk}"' in page


def test_paged_by_twenty(signed_in, els):
    messages_for(els, 25)
    first = signed_in.get(INBOX).text
    assert subjects(first) == [f"Bericht {n}" for n in range(25, 5, -1)]
    assert "Pagina 1 van 2" in first and 'href="?pagina=2"' in first
    second = signed_in.get(INBOX, {"pagina": 2}).text
    assert subjects(second) == [f"Bericht {n}" for n in range(5, 0, -1)]
    assert "Pagina 2 van 2" in second and 'href="?pagina=1"' in second
    assert subjects(signed_in.get(INBOX, {"pagina": "x"}).text) == subjects(first)  # a bad number: page 1
    assert subjects(signed_in.get(INBOX, {"pagina": 99}).text) == subjects(second)  # too far: the last


def test_unread_count_in_the_menu(signed_in, els):
    messages_for(els, 3)
    page = signed_in.get("/toegangsbeheer/persoonlijke-gegevens/").text
    assert re.search(
        r'href="/toegangsbeheer/berichten/">Gestructureerde berichten</a> <span class="badge"[^>]*>3</span>',
        page,
    )


def test_mark_ticked_messages_read(signed_in, els, other):
    first, second, third = messages_for(els, 3)
    foreign = StructuredMessageFactory(recipient=other)
    response = signed_in.post(INBOX, {"bericht": [first.pk, third.pk, foreign.pk]})
    assert response.status_code == 302 and response["Location"] == INBOX
    assert unread_ids(els) == {second.pk}
    assert unread_ids(other) == {foreign.pk}  # someone else's message is not touched
    page = signed_in.get(INBOX).text
    assert "2 berichten werden als gelezen gemarkeerd." in page
    assert page.count('<span class="badge">Ongelezen</span>') == 1


def test_mark_read_keeps_the_page(signed_in, els):
    messages = messages_for(els, 25)
    response = signed_in.post(INBOX, {"bericht": [messages[0].pk], "pagina": "2"})
    assert response["Location"] == f"{INBOX}?pagina=2"
    assert signed_in.post(INBOX, {"bericht": [messages[0].pk], "pagina": "evil"})["Location"] == INBOX


def test_marking_read_twice_says_so(signed_in, els):
    (message,) = messages_for(els, 1)
    signed_in.post(INBOX, {"bericht": [message.pk]})
    signed_in.get(INBOX)
    signed_in.post(INBOX, {"bericht": [message.pk]})
    assert "De geselecteerde berichten waren al gelezen." in signed_in.get(INBOX).text


@pytest.mark.parametrize(
    ("selection", "error"),
    [
        ({}, "Selecteer minstens één bericht om als gelezen te markeren."),
        ({"bericht": ["abc"]}, "De selectie is ongeldig. Selecteer de berichten opnieuw."),
        ({"bericht": ["-3"]}, "De selectie is ongeldig. Selecteer de berichten opnieuw."),
        ({"bericht": ["<script>alert(1)</script>"]}, "De selectie is ongeldig."),
        ({"bericht": [str(n) for n in range(1, 102)]}, "Selecteer hoogstens 100 berichten tegelijk."),
    ],
)
def test_bad_selection_changes_nothing(signed_in, els, selection, error):
    messages = messages_for(els, 2)
    response = signed_in.post(INBOX, selection)
    assert response.status_code == 200
    assert error in response.text
    assert 'class="error-summary"' in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert unread_ids(els) == {m.pk for m in messages}


def test_mark_read_needs_csrf(els):
    (message,) = messages_for(els, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(els)
    assert client.post(INBOX, {"bericht": [message.pk]}).status_code == 403
    assert unread_ids(els) == {message.pk}
    page = client.get(INBOX).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(INBOX, {"bericht": [message.pk], "csrfmiddlewaretoken": token}).status_code == 302
    assert unread_ids(els) == set()


def test_opening_a_message_marks_it_read(signed_in, els):
    message = message_send(
        recipient=els, subject="U bent aangesteld", body="Regel één\nRegel twee", category="appointment"
    )
    response = signed_in.get(f"{INBOX}{message.pk}/")
    assert response.status_code == 200
    assert "U bent aangesteld" in response.text and "Regel één\nRegel twee" in response.text
    assert "Aanstelling" in response.text
    assert "Nieuw, nu als gelezen gemarkeerd" in response.text
    message.refresh_from_db()
    assert message.read_at is not None
    again = signed_in.get(f"{INBOX}{message.pk}/").text
    assert "Gelezen op" in again


def test_another_persons_message_is_not_found(signed_in, other):
    foreign = StructuredMessageFactory(recipient=other, subject="Geheim")
    assert signed_in.get(f"{INBOX}{foreign.pk}/").status_code == 404
    assert signed_in.get(f"{INBOX}999999/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_markup_in_a_message_is_shown_as_text(signed_in, els):
    message = message_send(recipient=els, subject="<b>Vet</b>", body='<script>alert("x")</script>')
    listing = signed_in.get(INBOX).text
    assert "&lt;b&gt;Vet&lt;/b&gt;" in listing and "<b>Vet</b>" not in listing
    detail = signed_in.get(f"{INBOX}{message.pk}/").text
    assert "&lt;script&gt;" in detail and '<script>alert("x")' not in detail


def test_selectors_only_give_the_persons_own_messages(els, other):
    mine = message_send(recipient=els, subject="Mijn bericht", body="...")
    theirs = message_send(recipient=other, subject="Hun bericht", body="...")
    assert list(messages_of(els)) == [mine]
    assert message_of(els, mine.pk) == mine
    assert message_of(els, theirs.pk) is None
    assert message_of(els, "abc") is None
    assert list(messages_of(None)) == []


def page_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_messages(els, other):
    few, many = Client(), Client()
    few.force_login(els)
    many.force_login(other)
    messages_for(els, 5)
    messages_for(other, 50)
    small = page_queries(few, INBOX)
    assert page_queries(many, INBOX) == small
    assert page_queries(many, f"{INBOX}?pagina=3") == small
    assert small <= 10


BADGE = re.compile(
    r'href="/toegangsbeheer/berichten/">Gestructureerde berichten</a> <span class="badge"[^>]*>(\d+)</span>'
)


def badge(html: str) -> int:
    found = BADGE.search(html)
    return int(found.group(1)) if found else 0


def test_the_badge_is_counted_with_the_signed_in_person(signed_in, els, other):
    """identity.backends.PortalBackend reads the person and their unread count in one statement: no page
    counts the messages in a query of its own, and a message sent since shows at the next request."""
    messages_for(els, 2)
    StructuredMessageFactory(recipient=other)
    with CaptureQueriesContext(connection) as queries:
        page = signed_in.get("/toegangsbeheer/persoonlijke-gegevens/").text
    assert badge(page) == 2
    assert not [q for q in queries if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "accessportal_')]
    message_send(recipient=els, subject="Nieuw", body="...")
    assert badge(signed_in.get("/toegangsbeheer/persoonlijke-gegevens/").text) == 3


def test_opening_an_unread_message_lowers_the_badge_on_its_own_page(signed_in, els):
    first, second = messages_for(els, 2)
    assert badge(signed_in.get(f"{INBOX}{first.pk}/").text) == 1
    assert badge(signed_in.get(f"{INBOX}{first.pk}/").text) == 1  # already read: no change
    assert badge(signed_in.get(f"{INBOX}{second.pk}/").text) == 0


def test_the_backend_reads_a_person_or_nobody(els):
    from identity.backends import PortalBackend

    messages_for(els, 2)
    person = PortalBackend().get_user(str(els.pk))
    assert person == els and person.unread_message_count == 2 and person.last_name == "Janssens"
    assert PortalBackend().get_user("abc") is None
    assert PortalBackend().get_user(str(els.pk + 1000)) is None
    els.is_active = False
    els.save(update_fields=["is_active"])
    assert PortalBackend().get_user(str(els.pk)) is None
