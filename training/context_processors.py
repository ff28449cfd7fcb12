from datetime import timedelta

from django.utils.functional import SimpleLazyObject


def sandbox(request):
    """The sandbox of the signed-in person (training mode), for the simulation banner and the
    scenario's side panel; its progress is only read by pages that show the panel. For a person of
    the demo world whose clock a trainer moved ahead: that clock (``training_demo_clock``), so that
    "van kracht om 14:40" at 14:20 real time explains itself."""
    current = getattr(request, "sandbox", None)
    if current is None:
        world = getattr(request, "simulated_world", None)
        ahead = world is not None and world.ahead >= timedelta(minutes=1)
        return {"training_sandbox": None, "training_demo_clock": world if ahead else None}
    from training.scenarios import scenario_panel

    return {
        "training_sandbox": current,
        "training_now": current.now(),
        "training_panel": SimpleLazyObject(lambda: scenario_panel(current)),
    }
