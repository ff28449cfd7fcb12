"""Access-matrix entries of the trainers' pages (/opleiding/).

Only trainers see them: each trainer their own home page and "De demowereld herladen", and only the
trainer of the main classroom its classroom, cards, a sandbox's reset page and its clock (whose POST
without a choice re-renders the dashboard with the message, 200). Everyone else signed in (the
classroom's own trainees, another classroom's trainer, every administrator) gets 404."""

from tests.matrix import only


def main_classroom(world) -> dict:
    _trainer, classroom, _sandbox, _trainee = world.training
    return {"classroom_id": classroom.pk}


def main_sandbox(world) -> dict:
    _trainer, classroom, sandbox, _trainee = world.training
    return {"classroom_id": classroom.pk, "sandbox_id": sandbox.pk}


EVERY_TRAINER = {"trainer": 200, "outsider_trainer": 200}
MAIN_TRAINER = {"trainer": 200}

EXPECTATIONS = {
    "training:home": only(EVERY_TRAINER),
    "training:demo-reset": only(EVERY_TRAINER),
    "training:classroom": only(MAIN_TRAINER, kwargs=main_classroom),
    "training:cards": only(MAIN_TRAINER, kwargs=main_classroom),
    "training:card": only(MAIN_TRAINER, kwargs=main_sandbox),
    "training:sandbox-reset": only(MAIN_TRAINER, kwargs=main_sandbox),
    "training:sandbox-clock": only(MAIN_TRAINER, kwargs=main_sandbox, method="post"),
}
