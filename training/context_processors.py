from django.utils.functional import SimpleLazyObject


def sandbox(request):
    """The sandbox of the signed-in person (training mode), for the simulation banner and the
    scenario's side panel; its progress is only read by pages that show the panel."""
    current = getattr(request, "sandbox", None)
    if current is None:
        return {"training_sandbox": None}
    from training.scenarios import scenario_panel

    return {
        "training_sandbox": current,
        "training_now": current.now(),
        "training_panel": SimpleLazyObject(lambda: scenario_panel(current)),
    }
