"""Valid, unique Belgian numbers for tests and factories (worlds.numbers computes the check digits)."""

from datetime import date, timedelta

from worlds.numbers import insz_number, kbo_number


def insz_for(n: int, born: date = date(1950, 1, 1)) -> str:
    """The n-th valid national number: a real birth date, serial 001-998, correct check digits."""
    return insz_number(born + timedelta(days=n // 998), n % 998 + 1)


def kbo_for(n: int) -> str:
    """The n-th valid KBO number, far from the demo world's."""
    return kbo_number(5_000_000 + n)
