"""Access-matrix entries of the trainers' pages (/opleiding/).

Only trainers see them: each trainer their own home page, "De demowereld herladen", the demo world's
clock (a POST without a choice goes back to the home page with the message, 302) and "Kaart
deblokkeren" for a demo person; only the trainer of the main classroom its classroom, cards, a
sandbox's reset page, its clock (whose POST without a choice re-renders the dashboard with the
message, 200) and "Kaart deblokkeren" for one of its trainees. Everyone else signed in (the
classroom's own trainees, another classroom's trainer, every administrator) gets 404."""

from tests.matrix import only


def main_classroom(world) -> dict:
    _trainer, classroom, _sandbox, _trainee = world.training
    return {"classroom_id": classroom.pk}


def main_sandbox(world) -> dict:
    _trainer, classroom, sandbox, _trainee = world.training
    return {"classroom_id": classroom.pk, "sandbox_id": sandbox.pk}


def main_sandbox_person(world) -> dict:
    _trainer, classroom, sandbox, trainee = world.training
    return {"classroom_id": classroom.pk, "sandbox_id": sandbox.pk, "person_id": trainee.pk}


def demo_person(world) -> dict:
    """Marc of the demo world (only him: the whole demo world is not needed to unblock one card)."""
    from identity.models import Person
    from identity.services import person_register
    from worlds.demo import PEOPLE

    marc = PEOPLE[0]
    person = Person.objects.filter(insz=marc.insz.replace(".", "").replace("-", "")).first()
    if person is None:
        person = person_register(
            insz=marc.insz, first_name=marc.first_name, last_name=marc.last_name, pin="1234"
        )
    return {"person_id": person.pk}


EVERY_TRAINER = {"trainer": 200, "outsider_trainer": 200}
EVERY_TRAINER_REDIRECTED = {"trainer": 302, "outsider_trainer": 302}
MAIN_TRAINER = {"trainer": 200}

EXPECTATIONS = {
    "training:home": only(EVERY_TRAINER),
    "training:demo-reset": only(EVERY_TRAINER),
    "training:classroom": only(MAIN_TRAINER, kwargs=main_classroom),
    "training:cards": only(MAIN_TRAINER, kwargs=main_classroom),
    "training:card": only(MAIN_TRAINER, kwargs=main_sandbox),
    "training:sandbox-reset": only(MAIN_TRAINER, kwargs=main_sandbox),
    "training:sandbox-clock": only(MAIN_TRAINER, kwargs=main_sandbox, method="post"),
    "training:sandbox-card-unblock": only({"trainer": 302}, kwargs=main_sandbox_person, method="post"),
    "training:demo-clock": only(EVERY_TRAINER_REDIRECTED, method="post"),
    "training:demo-card-unblock": only(EVERY_TRAINER_REDIRECTED, kwargs=demo_person, method="post"),
}
