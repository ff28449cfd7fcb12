"""The HTB procedure of CSAM (manual 3.2.2 and 3.2.3) as services: start, answer, confirm.

Every step re-checks the rules against the registers as they are now, and the confirmation checks
everything once more inside the transaction that appoints."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accessportal.audit import audit_record
from accessportal.identifiers import insz_clean, kbo_clean
from accessportal.mail_addresses import mail_address_clean
from accessportal.messaging import message_send
from accessportal.outbox import mail_enqueue_template
from accessportal.services import ServiceError
from accessportal.validators import phone_clean
from administrators import selectors
from administrators.models import HtbAppointment, HtbDraft
from administrators.services import htb_appoint
from enterprises.selectors import enterprise_for_person, person_for_enterprise
from identity.models import Person

DRAFT_FIELDS = ["choice", "htb_insz", "htb_email", "htb_phone", "requester_email", "requester_phone"]


def _refuse_unless_legal_representative(actor, enterprise, field=None) -> None:
    if not selectors.is_legal_representative(actor, enterprise):
        raise ServiceError(
            _(
                "U bent momenteel niet gekend als wettelijk vertegenwoordiger van deze onderneming in de "
                "Kruispuntbank van Ondernemingen. Enkel een wettelijk vertegenwoordiger kan een "
                "Hoofdtoegangsbeheerder aanstellen."
            ),
            field=field,
            code="not_legal_representative",
        )


@transaction.atomic
def htb_draft_start(*, actor, kbo: str) -> HtbDraft:
    """Step 1: the enterprise number. Only a current legal representative may go on."""
    number = kbo_clean(kbo)
    enterprise = enterprise_for_person(actor, number)
    if enterprise is None:
        raise ServiceError(
            _("Deze onderneming is niet gekend in de Kruispuntbank van Ondernemingen."),
            field="kbo",
            code="unknown",
        )
    _refuse_unless_legal_representative(actor, enterprise, field="kbo")
    draft = HtbDraft.objects.create(
        requester=actor, enterprise=enterprise, requester_email=actor.email, requester_phone=actor.phone
    )
    audit_record(
        actor=actor,
        action="htb_procedure.start",
        target=draft,
        enterprise_kbo=number,
        after={"registered_in_csam": selectors.is_registered_in_csam(enterprise)},
    )
    return draft


def _htb_person(actor, draft: HtbDraft, choice: str, htb_insz: str) -> Person:
    current = selectors.current_htb(draft.enterprise)
    if choice == HtbDraft.Choice.SELF:
        if current is not None and current.person_id == actor.pk:
            raise ServiceError(
                _(
                    "U bent al gekend als Hoofdtoegangsbeheerder voor deze onderneming. U kan een andere persoon "
                    "aanduiden als Hoofdtoegangsbeheerder."
                ),
                field="choice",
                code="already_htb",
            )
        return actor
    number = insz_clean(htb_insz)
    person = person_for_enterprise(draft.enterprise, number)
    if person is None:
        raise ServiceError(
            _("Deze persoon is niet gekend in het rijksregister."), field="htb_insz", code="unknown_person"
        )
    if person.pk == actor.pk:
        raise ServiceError(
            _(
                'Dit is uw eigen rijksregisternummer: kies de optie "Hoofdtoegangsbeheerder" om uzelf aan te stellen.'
            ),
            field="htb_insz",
            code="self_as_other",
        )
    if not selectors.is_employee_or_legal_representative(person, draft.enterprise):
        raise ServiceError(
            _(
                "Een Hoofdtoegangsbeheerder moet een werknemer of wettelijke vertegenwoordiger van de onderneming zijn."
            ),
            field="htb_insz",
            code="not_employee",
        )
    if current is not None and current.person_id == person.pk:
        raise ServiceError(
            _("Deze persoon is al gekend als Hoofdtoegangsbeheerder voor deze onderneming."),
            field="htb_insz",
            code="already_htb",
        )
    return person


@transaction.atomic
def htb_draft_answer(
    *,
    actor,
    draft: HtbDraft,
    choice: str,
    htb_insz: str = "",
    htb_email: str = "",
    htb_phone: str = "",
    requester_email: str = "",
    requester_phone: str = "",
) -> HtbDraft:
    """Step 2: who becomes HTB and the contact details. SELF: the HTB's contact details are the ones
    typed as one's own ("Uw contactgegevens", ``requester_*``) and the other person's fields are ignored;
    OTHER: the HTB's (``htb_*``, required) and, optionally, one's own."""
    draft = HtbDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.is_confirmed:
        raise ServiceError(_("Deze aanvraag werd al bevestigd."), code="confirmed")
    _refuse_unless_legal_representative(actor, draft.enterprise)
    if choice not in HtbDraft.Choice.values:
        raise ServiceError(_("Kies wie Hoofdtoegangsbeheerder wordt."), field="choice", code="invalid_choice")
    person = _htb_person(actor, draft, choice, htb_insz)
    if choice == HtbDraft.Choice.SELF:  # the HTB's contact details are the ones typed as "Uw contactgegevens"
        htb_email = mail_address_clean(requester_email, field="requester_email")
        htb_phone = phone_clean(requester_phone, field="requester_phone", required=True)
    else:
        htb_email = mail_address_clean(htb_email, field="htb_email")
        htb_phone = phone_clean(htb_phone, field="htb_phone", required=True)
        requester_email = mail_address_clean(requester_email, field="requester_email", required=False)
        requester_phone = phone_clean(requester_phone, field="requester_phone")
    draft.choice = choice
    draft.htb_insz = person.insz
    draft.htb_email = htb_email
    draft.htb_phone = htb_phone
    if choice == HtbDraft.Choice.SELF:
        draft.requester_email, draft.requester_phone = htb_email, htb_phone
    else:
        draft.requester_email, draft.requester_phone = requester_email, requester_phone
    draft.save()
    audit_record(
        actor=actor,
        action="htb_procedure.answer",
        target=draft,
        enterprise_kbo=draft.enterprise.kbo,
        after={field: getattr(draft, field) for field in DRAFT_FIELDS},
    )
    return draft


def _announce(draft: HtbDraft, appointment: HtbAppointment) -> None:
    """The confirmation mails (in each recipient's language) and the HTB's structured message."""
    htb, requester, enterprise = appointment.person, draft.requester, draft.enterprise
    context = {"enterprise": enterprise, "htb": htb, "requester": requester, "appointment": appointment}
    mail_enqueue_template(
        to=appointment.email, template="htb_appointed", context=context, language=htb.language, person=htb
    )
    if htb.pk != requester.pk and draft.requester_email:
        mail_enqueue_template(
            to=draft.requester_email,
            template="htb_appointed_requester",
            context=context,
            language=requester.language,
            person=requester,
        )
    with translation.override(htb.language):
        message_send(
            recipient=htb,
            category="appointment",
            subject=_("U bent aangesteld als Hoofdtoegangsbeheerder van %(name)s")
            % {"name": enterprise.name},
            body=_(
                "%(requester)s heeft u aangesteld als Hoofdtoegangsbeheerder van %(name)s (%(kbo)s). U kan nu "
                "hoedanigheden activeren en Toegangsbeheerders aanstellen."
            )
            % {"requester": requester.full_name, "name": enterprise.name, "kbo": enterprise.kbo_display},
        )


@transaction.atomic
def htb_draft_confirm(*, actor, draft: HtbDraft, confirmed: bool) -> HtbAppointment:
    """Step 3: "Ja, ik bevestig" + "Bevestig". A second submit of the same draft returns the same
    appointment; the draft's row lock makes two simultaneous submits queue."""
    draft = HtbDraft.objects.select_for_update().select_related("enterprise").get(pk=draft.pk)
    if draft.is_confirmed:
        return draft.appointment
    if not confirmed:
        raise ServiceError(
            _('Vink "Ja, ik bevestig" aan om de activeringsvoorwaarden te aanvaarden.'),
            field="confirm",
            code="not_confirmed",
        )
    if not draft.is_complete:
        raise ServiceError(_("Deze aanvraag is nog niet volledig ingevuld."), code="incomplete")
    _refuse_unless_legal_representative(actor, draft.enterprise)
    person = _htb_person(actor, draft, draft.choice, draft.htb_insz)
    appointment = htb_appoint(
        actor=actor,
        enterprise=draft.enterprise,
        person=person,
        email=draft.htb_email,
        phone=draft.htb_phone,
        requester_email=draft.requester_email,
        requester_phone=draft.requester_phone,
    )
    draft.appointment = appointment
    draft.save(update_fields=["appointment"])
    _announce(draft, appointment)
    return appointment
