"""Access-matrix entries of the person's own pages: "Gestructureerde berichten" and
"Persoonlijke gegevens". Everyone signed in has their own; another person's message is a 404."""

from accessportal.messaging import message_send
from tests.matrix import only, signed_in


def message_of_main_htb(world) -> dict:
    message = message_send(
        recipient=world.main.htb, subject="Aanstelling", body="U bent aangesteld.", category="appointment"
    )
    return {"message_id": message.pk}


EXPECTATIONS = {
    "accessportal:inbox": signed_in(200),
    "accessportal:message": only({"htb": 200}, kwargs=message_of_main_htb),
    "identity:personal-data": signed_in(200),
    "identity:password-change": signed_in(200),
}
