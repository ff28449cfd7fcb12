"""Valid, unique Belgian numbers for tests and factories."""

from datetime import date, timedelta


def insz_for(n: int, born: date = date(1950, 1, 1)) -> str:
    """The n-th valid national number: a real birth date, serial 001-998, correct check digits."""
    birth = born + timedelta(days=n // 998)
    serial = n % 998 + 1
    base = f"{birth:%y%m%d}{serial:03d}"
    value = int(("2" + base) if birth.year >= 2000 else base)
    return f"{base}{97 - value % 97:02d}"


def kbo_for(n: int) -> str:
    """The n-th valid KBO number, far from the demo world's."""
    base = f"0{5_000_000 + n:07d}"
    return f"{base}{97 - int(base) % 97:02d}"
