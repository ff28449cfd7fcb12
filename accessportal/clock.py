"""The one clock of the portal.

Every piece of code asks ``clock.now()`` / ``clock.today()``, never ``timezone.now()``, so that tests
and trainers can move time. A simulated clock only moves forward, like a payment provider's test
clock: effects that already happened can never be undone by turning it back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from django.utils import timezone


class ClockError(ValueError):
    pass


class SimulatedClock:
    def __init__(self, moment: datetime):
        if timezone.is_naive(moment):
            raise ClockError("A simulated clock needs an aware datetime.")
        self.moment = moment

    def advance(self, delta: timedelta | None = None, **kwargs) -> datetime:
        step = delta if delta is not None else timedelta(**kwargs)
        if step < timedelta(0):
            raise ClockError("The clock only moves forward.")
        self.moment += step
        return self.moment

    def move_to(self, moment: datetime) -> datetime:
        if moment < self.moment:
            raise ClockError("The clock only moves forward.")
        self.moment = moment
        return self.moment


_simulated: ContextVar[SimulatedClock | None] = ContextVar("accessportal_clock", default=None)
# A clock every thread of the process sees: a live server's request threads in browser journeys.
_process_wide: SimulatedClock | None = None


def now() -> datetime:
    simulated = _simulated.get() or _process_wide
    return simulated.moment if simulated is not None else timezone.now()


def wall_now() -> datetime:
    """Real time as this process knows it: a ``simulated_everywhere`` clock (a browser journey's) or
    the real one, never a block's own ``simulated`` clock. Training's simulated worlds (a sandbox,
    the demo world) run ahead of it, so a world's time read inside that world's own request (which
    runs on the world's clock) is not counted twice."""
    return _process_wide.moment if _process_wide is not None else timezone.now()


def real_now() -> datetime:
    """Real time, whatever clock is simulated: only for what Django itself stamps with real time
    (a session's expiry) and for bounding a simulated clock by it (identity.throttle)."""
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextmanager
def simulated(moment: datetime) -> Iterator[SimulatedClock]:
    """Run a block on a simulated clock that starts at ``moment``."""
    token = _simulated.set(SimulatedClock(moment))
    try:
        yield _simulated.get()
    finally:
        _simulated.reset(token)


@contextmanager
def simulated_everywhere(moment: datetime) -> Iterator[SimulatedClock]:
    """Like ``simulated``, but for every thread of the process (a live server answering a browser)."""
    global _process_wide
    previous, _process_wide = _process_wide, SimulatedClock(moment)
    try:
        yield _process_wide
    finally:
        _process_wide = previous


def moment_text(moment: datetime) -> str:
    """When something takes effect, as the portal says it: "14:20" today, else "03/03/2026 14:20"."""
    local = timezone.localtime(moment)
    if local.date() == today():
        return f"{local:%H:%M}"
    return f"{local:%d/%m/%Y %H:%M}"
