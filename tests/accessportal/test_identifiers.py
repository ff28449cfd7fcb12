from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accessportal import clock
from accessportal.identifiers import (
    insz_clean,
    insz_format,
    insz_portal_format,
    kbo_clean,
    kbo_format,
    kbo_portal_format,
)
from worlds.numbers import insz_for


@pytest.mark.parametrize(
    "notation", ["85.07.30-033.28", "85073003328", "850730 033 28", " 85.07.30.033.28 ", "85-07-30-033-28"]
)
def test_insz_accepts_usual_notations(notation):
    assert insz_clean(notation) == "85073003328"


def test_insz_official_and_portal_formats():
    assert insz_format("85073003328") == "85.07.30-033.28"
    assert insz_portal_format("85073003328") == "850730 033 28"


def test_insz_born_after_2000():
    assert insz_clean("01.12.03-046.95") == "01120304695"


def test_bis_number_accepted():
    # BIS numbers add 20 (gender unknown) or 40 (gender known) to the month.
    base = "854730033"
    bis = base + f"{97 - int(base) % 97:02d}"
    assert insz_clean(bis) == bis


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("85.07.30-033.29", "insz_checksum"),
        ("1234", "insz_length"),
        ("8507300332A", "insz_length"),
        ("", "insz_length"),
    ],
)
def test_insz_refuses_bad_numbers(value, code):
    with pytest.raises(ValidationError) as error:
        insz_clean(value)
    assert error.value.code == code
    assert "INSZ" in error.value.messages[0]


def _with_check_digits(base: str, after_2000: bool = False) -> str:
    value = int(("2" + base) if after_2000 else base)
    return base + f"{97 - value % 97:02d}"


@pytest.mark.parametrize("serial", ["000", "999"])
def test_insz_refuses_serials_stdnum_lets_through(serial):
    number = _with_check_digits(f"850730{serial}")
    with pytest.raises(ValidationError) as error:
        insz_clean(number)
    assert error.value.code == "insz_serial"


@pytest.mark.parametrize("birth", ["850230", "850031", "851300", "850000"])
def test_insz_refuses_impossible_birth_dates(birth):
    number = _with_check_digits(f"{birth}033")
    with pytest.raises(ValidationError) as error:
        insz_clean(number)
    assert error.value.code in {"insz_date", "insz_invalid"}


def test_insz_refuses_future_birth_dates():
    with clock.simulated(datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/Brussels"))):
        number = _with_check_digits("260601033", after_2000=True)
        with pytest.raises(ValidationError) as error:
            insz_clean(number)
        assert error.value.code == "insz_future"


def test_generated_test_numbers_are_valid():
    for n in range(0, 5000, 7):
        insz_clean(insz_for(n))
    assert date(1950, 1, 1)


@pytest.mark.parametrize(
    "notation", ["0406.633.304", "0406633304", "406633304", "BE0406633304", "BE 0406.633.304"]
)
def test_kbo_accepts_usual_notations(notation):
    assert kbo_clean(notation) == "0406633304"


def test_kbo_formats():
    assert kbo_format("0406633304") == "0406.633.304"
    assert kbo_portal_format("0406633304") == "406.633.304"


@pytest.mark.parametrize(("value", "code"), [("0406.633.305", "kbo_checksum"), ("12345", "kbo_length")])
def test_kbo_refuses_bad_numbers(value, code):
    with pytest.raises(ValidationError) as error:
        kbo_clean(value)
    assert error.value.code == code
    assert "ondernemingsnummer" in error.value.messages[0]
