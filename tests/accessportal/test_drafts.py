import time
from types import SimpleNamespace

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core import signing

from accessportal.drafts import SessionDrafts

DRAFTS = SessionDrafts("tests.drafts", salt="tests.drafts")


def a_request(session=None):
    return SimpleNamespace(session=session if session is not None else SessionStore())


@pytest.fixture
def now(monkeypatch):
    """A clock the test moves: both the signatures and the drafts read ``time.time``."""
    moment = SimpleNamespace(value=time.time())
    monkeypatch.setattr(time, "time", lambda: moment.value)
    return moment


def test_the_answers_travel_through_the_session_and_only_a_reference_through_the_url():
    request = a_request()
    token = DRAFTS.create(request, 7, insz="85073003328", email="")
    # the reference is the scope and a random key; no answer is in it
    assert set(signing.loads(token, salt="tests.drafts")) == {"s", "d"}
    assert "85073003328" not in token
    assert DRAFTS.load(request, token, 7) == {"insz": "85073003328", "email": ""}
    request.session.save()  # the session's JSON keeps the scope an int
    again = a_request(SessionStore(session_key=request.session.session_key))
    assert DRAFTS.load(again, token, 7) == {"insz": "85073003328", "email": ""}


def test_save_keeps_the_changed_answers():
    request = a_request()
    token = DRAFTS.create(request, 7, email="")
    draft = DRAFTS.load(request, token, 7)
    draft["email"] = "a@b.be"
    DRAFTS.save(request, token, draft)
    request.session.save()
    again = a_request(SessionStore(session_key=request.session.session_key))
    assert DRAFTS.load(again, token, 7) == {"email": "a@b.be"}


def test_a_tampered_or_foreign_reference_is_refused():
    request = a_request()
    token = DRAFTS.create(request, 7, email="")
    for wrong in ("", "vervalst", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token + "x"):
        assert DRAFTS.load(request, wrong, 7) is None, wrong
    other_wizard = SessionDrafts("tests.drafts", salt="tests.other")
    assert other_wizard.load(request, token, 7) is None
    # a reference signed with the right salt but not made by create
    assert DRAFTS.load(request, signing.dumps(["7"], salt="tests.drafts"), 7) is None
    with pytest.raises(signing.BadSignature):
        DRAFTS.save(request, "vervalst", {"email": "a@b.be"})


def test_a_reference_of_another_scope_is_refused():
    request = a_request()
    token = DRAFTS.create(request, 7, email="")
    assert DRAFTS.load(request, token, 8) is None
    assert DRAFTS.load(request, token, "7") is None
    assert DRAFTS.load(request, token, 7) is not None


def test_a_reference_of_another_session_is_refused():
    token = DRAFTS.create(a_request(), 7, email="")
    assert DRAFTS.load(a_request(), token, 7) is None


def test_a_reference_expires_after_max_age(now):
    request = a_request()
    token = DRAFTS.create(request, 7, email="")
    now.value += 3599
    assert DRAFTS.load(request, token, 7) is not None
    now.value += 2
    assert DRAFTS.load(request, token, 7) is None
    with pytest.raises(signing.SignatureExpired):
        DRAFTS.save(request, token, {"email": "a@b.be"})


def test_max_age_is_the_wizards_own(now):
    short = SessionDrafts("tests.short", salt="tests.short", max_age=60)
    request = a_request()
    token = short.create(request, 7)
    now.value += 61
    assert short.load(request, token, 7) is None


def test_a_session_keeps_at_most_keep_drafts_the_oldest_go_first(now):
    few = SessionDrafts("tests.few", salt="tests.few", keep=3)
    request = a_request()
    tokens = []
    for number in range(5):
        now.value += 1
        tokens.append(few.create(request, 7, number=number))
    assert len(request.session["tests.few"]) == 3
    assert [few.load(request, token, 7) for token in tokens] == [
        None,
        None,
        {"number": 2},
        {"number": 3},
        {"number": 4},
    ]


def test_saving_does_not_make_a_draft_younger(now):
    few = SessionDrafts("tests.few", salt="tests.few", keep=2)
    request = a_request()
    first = few.create(request, 7, number=1)
    now.value += 1
    second = few.create(request, 7, number=2)
    now.value += 1
    few.save(request, first, {"number": 10})
    now.value += 1
    few.create(request, 7, number=3)
    assert few.load(request, first, 7) is None
    assert few.load(request, second, 7) == {"number": 2}


def test_expired_drafts_are_forgotten_when_a_new_one_starts(now):
    request = a_request()
    DRAFTS.create(request, 7, number=1)
    now.value += 3601
    DRAFTS.create(request, 7, number=2)
    assert len(request.session["tests.drafts"]) == 1


def test_the_drafts_of_two_wizards_do_not_mix():
    other = SessionDrafts("tests.other", salt="tests.other")
    request = a_request()
    mine = DRAFTS.create(request, 7, email="mine")
    theirs = other.create(request, 7, email="theirs")
    assert DRAFTS.load(request, mine, 7) == {"email": "mine"}
    assert other.load(request, theirs, 7) == {"email": "theirs"}
    assert DRAFTS.load(request, theirs, 7) is None
