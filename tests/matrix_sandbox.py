"""Access-matrix entries of a trainee's sandbox (/opleiding/zandbak/): personas, the clock, the scenario
and its reset.

Only the people of a sandbox reach these pages, each their own sandbox's (no object of it is in the
address): the main classroom's trainee and the other classroom's trainee both see theirs. Everybody
else signed in gets 404, an anonymous visitor the sign-in page. The persona switch names a person of
the main sandbox: its own trainee switches (302); the other sandbox's trainee gets 404, as does anyone
outside a sandbox."""

from tests.matrix import only
from training.models import Part

SANDBOX_PEOPLE = {"trainee": 200, "outsider_trainee": 200}


def main_sandbox_employee(world) -> dict:
    _trainer, _classroom, sandbox, _trainee = world.training
    return {"person_id": sandbox.people.filter(part=Part.EMPLOYEE).values_list("person_id", flat=True)[0]}


EXPECTATIONS = {
    "training:trainee-personas": only(SANDBOX_PEOPLE),
    "training:trainee-persona-switch": only({"trainee": 302}, kwargs=main_sandbox_employee, method="post"),
    "training:trainee-clock": only(SANDBOX_PEOPLE),
    "training:trainee-scenario": only(SANDBOX_PEOPLE),
    "training:trainee-reset": only(SANDBOX_PEOPLE),  # the confirmation page; the reset itself is a POST
}
