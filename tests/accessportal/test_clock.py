from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accessportal import clock

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_real_clock_follows_real_time():
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)


def test_simulated_clock_moves_forward_only():
    start = datetime(2026, 3, 2, 23, 50, tzinfo=BRUSSELS)
    with clock.simulated(start) as simulated:
        assert clock.now() == start
        simulated.advance(minutes=20)
        assert clock.now() == start + timedelta(minutes=20)
        assert clock.today().isoformat() == "2026-03-03"  # local date in Brussels
        with pytest.raises(clock.ClockError):
            simulated.advance(minutes=-1)
        with pytest.raises(clock.ClockError):
            simulated.move_to(start)
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)


def test_simulated_clock_needs_an_aware_moment():
    with pytest.raises(clock.ClockError), clock.simulated(datetime(2026, 1, 1)):
        pass
