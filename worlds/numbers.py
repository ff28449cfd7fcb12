"""The one generator of Belgian numbers: INSZ (national numbers), KBO enterprise numbers and CoBRHA
HCO numbers, for sandboxes, trainers, the scale world, the fault runs and the tests.

- ``insz_number`` / ``kbo_number`` compute the check digits; every other generator calls these two.
  python-stdnum validates (``accessportal.identifiers``, and the tests over every generated number)
  but offers no function that computes the digits of ``stdnum.be.nn`` / ``stdnum.be.vat``.
- ``insz_for`` / ``kbo_for``: the n-th number of a fixed sequence (the tests and their factories).
- ``generate_insz_numbers`` / ``generate_kbo_numbers``: many distinct numbers at once, drawn
  deterministically from a seed (the scale world).
- ``insz_issue`` / ``kbo_issue`` / ``hco_issue`` / ``itsme_phone_issue`` draw a new number for the
  simulated registers: valid, never one of the demo world's (also while the demo world is deleted
  and loaded again: its numbers are reserved), not in use, and never handed out twice, also by two
  classroom builds at once: each number is claimed in ``IssuedNumber`` (``worlds.models``), whose
  unique constraint lets only one transaction have it.
- An INSZ's serial tells the sex: odd for a man, even for a woman. ``insz_issue(male=...)`` draws a
  serial to match the first name it is meant for.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from accessportal import clock
from accessportal.identifiers import insz_compact, kbo_compact

INSZ, KBO, HCO, GSM = "insz", "kbo", "hco", "gsm"
SERIALS = range(1, 999)  # 000 and 999 are never issued
HCO_RANGE = (700_000, 799_999)  # CoBRHA numbers of sandbox facilities (the demo's are below 300,000)
KBO_BODIES = (2_000_000, 9_999_999)  # enterprise numbers 0200.000.0xx to 0999.999.9xx
GSM_RANGE = (0, 999_999)  # itsme numbers of sandbox people: 0499 xx xx xx, as digits 32499xxxxxx
BORN = (date(1960, 1, 1), date(1999, 12, 31))
ATTEMPTS = 1000


def insz_number(birth: date, serial: int) -> str:
    """A national number: YYMMDD, a serial 001..998 (odd for men, even for women), and 97 - (the nine
    digits, prefixed with 2 for births from 2000 on) % 97."""
    if serial not in SERIALS:
        raise ValueError("The serial of an INSZ runs from 001 to 998.")
    body = f"{birth:%y%m%d}{serial:03d}"
    base = int(body) + (2_000_000_000 if birth.year >= 2000 else 0)
    return f"{body}{97 - base % 97:02d}"


def kbo_number(body: int) -> str:
    """An enterprise number: 0, seven digits, and 97 - (the first eight digits) % 97."""
    if not 0 < body < 10_000_000:
        raise ValueError("A KBO number body has seven digits.")
    return f"0{body:07d}{97 - body % 97:02d}"


def insz_for(n: int, born: date = date(1950, 1, 1)) -> str:
    """The n-th valid national number: a real birth date, serial 001-998, correct check digits."""
    return insz_number(born + timedelta(days=n // 998), n % 998 + 1)


def kbo_for(n: int) -> str:
    """The n-th valid KBO number, far from the demo world's."""
    return kbo_number(5_000_000 + n)


def _unique_sample(
    rng: random.Random, size: int, k: int, make: Callable[[int], str], taken: set[str]
) -> list[str]:
    """k distinct values ``make(i)`` for i in range(size), in the rng's order, none of them taken.
    One sample, large enough whatever the taken values are, keeps the result deterministic."""
    values = [make(i) for i in rng.sample(range(size), min(size, k + len(taken)))]
    if taken:
        values = [value for value in values if value not in taken]
    if len(values) < k:
        raise ValueError("Not enough free identifiers for the scale world.")
    return values[:k]


def generate_insz_numbers(
    rng: random.Random, k: int, taken: set[str], *, born: tuple[date, date]
) -> list[str]:
    """k distinct INSZ numbers of people born in ``born`` (never after today), not in taken and
    never a demo person's."""
    first, last = born[0], min(born[1], clock.today())
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def number(index: int) -> str:
        return insz_number(days[index // 998], index % 998 + 1)

    return _unique_sample(rng, len(days) * 998, k, number, taken | reserved(INSZ))


def generate_kbo_numbers(rng: random.Random, k: int, taken: set[str]) -> list[str]:
    """k distinct KBO numbers 02.. to 09.. (as real enterprise numbers), not in taken and never
    the demo world's."""
    low = KBO_BODIES[0]
    return _unique_sample(rng, 10_000_000 - low, k, lambda i: kbo_number(low + i), taken | reserved(KBO))


def insz_serial(rng: random.Random, *, male: bool) -> int:
    """A serial of the right sex: odd for a man, even for a woman."""
    return rng.randrange(1 if male else 2, 999, 2)


def reserved(kind: str) -> frozenset[str]:
    """The demo world's numbers: never generated for anyone else."""
    from worlds import demo

    if kind == INSZ:
        return frozenset(insz_compact(person.insz) for person in demo.PEOPLE)
    if kind == KBO:
        return frozenset(kbo_compact(kbo) for kbo in demo.DEMO_KBOS)
    if kind == GSM:
        from identity.services import phone_digits

        return frozenset(phone_digits(person.phone) for person in demo.PEOPLE)
    return frozenset(demo.DEMO_HCOS)


def _in_use(kind: str, number: str) -> bool:
    from enterprises.models import Enterprise, Facility
    from identity.models import Person

    if kind == INSZ:
        return Person.objects.filter(insz=number).exists()
    if kind == KBO:
        return Enterprise.objects.filter(kbo=number).exists()
    if kind == GSM:
        return Person.objects.filter(itsme_phone=number).exists()
    return Facility.objects.filter(hco_number=number).exists()


def _claim(kind: str, number: str) -> bool:
    """Whether this transaction now holds the number. A concurrent transaction that claimed it first
    makes the insert wait for it and then fail (PostgreSQL), so a number is never given twice."""
    from worlds.models import IssuedNumber

    if number in reserved(kind) or _in_use(kind, number):
        return False
    try:
        with transaction.atomic():
            IssuedNumber.objects.create(kind=kind, number=number)
    except IntegrityError:
        return False
    return True


def _issue(kind: str, draw) -> str:
    for _attempt in range(ATTEMPTS):
        number = draw()
        if _claim(kind, number):
            return number
    raise RuntimeError(f"No free {kind} number found in {ATTEMPTS} draws.")


def insz_issue(rng: random.Random, *, male: bool) -> str:
    """A new INSZ of a man or a woman born between 1960 and 1999."""
    first, last = BORN[0].toordinal(), min(BORN[1], clock.today()).toordinal()

    def draw() -> str:
        return insz_number(date.fromordinal(rng.randint(first, last)), insz_serial(rng, male=male))

    return _issue(INSZ, draw)


def kbo_issue(rng: random.Random) -> str:
    return _issue(KBO, lambda: kbo_number(rng.randint(*KBO_BODIES)))


def hco_issue(rng: random.Random) -> str:
    return _issue(HCO, lambda: str(rng.randint(*HCO_RANGE)))


def itsme_phone_issue(rng: random.Random) -> str:
    """A new mobile number for a sandbox person's itsme app."""
    return _issue(GSM, lambda: f"32499{rng.randint(*GSM_RANGE):06d}")
