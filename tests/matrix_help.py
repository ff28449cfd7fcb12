"""Access-matrix entries of Help's neighbours: the CSAM pages "WAT IS CSAM?" and "CONTACT", the places
the manual sends people (KBO Public Search, CoBRHA Viewer, the Departement Zorg's page, the short pages
standing for sites outside CSAM), the eHealth contact center's web form, and the helpdesk of the
simulation, where only trainers (any trainer) see, answer and download the tickets."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accessportal.views import ELSEWHERE
from tests.matrix import everyone, only

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def a_ticket(world, attachment=None) -> dict:
    from helpdesk.services import ticket_create

    ticket = ticket_create(
        sender=None,
        last_name="Peeters",
        first_name="An",
        phone="02 555 00 00",
        email="an.peeters@example.be",
        subject="Ik kan niet aanmelden",
        message="Wat ontbreekt er?",
        attachment=attachment,
    )
    return {"number": ticket.number}


def a_ticket_with_attachment(world) -> dict:
    return a_ticket(world, SimpleUploadedFile("scherm.pdf", PDF, content_type="application/pdf"))


EVERY_TRAINER = {"trainer": 200, "outsider_trainer": 200}

EXPECTATIONS = {
    "csam-about": everyone(200),
    "csam-contact": everyone(200),
    **{f"elsewhere-{slug}": everyone(200) for slug in ELSEWHERE},
    "enterprises:kbo-search": everyone(200),
    "enterprises:cobrha-viewer": everyone(200),
    "roles:departement-zorg": everyone(200),
    "helpdesk:contact": everyone(200),
    "helpdesk:sent": everyone(302),  # nothing sent in this session: back to the form
    "helpdesk:tickets": only(EVERY_TRAINER),
    "helpdesk:ticket": only(EVERY_TRAINER, kwargs=a_ticket),
    "helpdesk:attachment": only(EVERY_TRAINER, kwargs=a_ticket_with_attachment),
}
