"""The guided scenarios: the manual's procedures as steps that tick themselves off as the trainee acts.

Each step names its manual section (the side panel quotes it), says what to do, and is done when the
sandbox's data shows it (never because a page was merely visited).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accessportal.manual import Section, manual_section
from accessportal.models import AuditEvent
from administrators.models import HtbDraft
from enterprises.models import Facility
from training.models import Part, Sandbox, Scenario
from training.services import SCENARIO_FACILITY


@dataclass(frozen=True)
class ScenarioStep:
    key: str
    title: Promise
    manual: str
    todo: Promise
    optional: bool = False


STEPS = {
    Scenario.HTB: [
        ScenarioStep(
            "signed_in_csam",
            _("Aanmelden bij CSAM"),
            "3.2.2",
            _("Meld u aan met de eID van de wettelijk vertegenwoordiger (Rijksregisternummer en PIN-code)."),
        ),
        ScenarioStep(
            "draft",
            _("De procedure starten"),
            "3.2.2",
            _('Ga naar "Beheer der Toegangsbeheerders" en kies "Een Hoofdtoegangsbeheerder aanstellen".'),
        ),
        ScenarioStep(
            "answered",
            _("Registratie van de aanvraag"),
            "3.2.3",
            _(
                'Vul het ondernemingsnummer in en duid uzelf of een "Andere persoon" aan als HTB; klik "Volgende".'
            ),
        ),
        ScenarioStep(
            "htb",
            _("De aanvraag bevestigen"),
            "3.2.2",
            _('Controleer de gegevens, vink "Ja, ik bevestig" aan en klik "Bevestig". Lees daarna de mail.'),
        ),
    ],
    Scenario.PRAKTIJK: [
        ScenarioStep(
            "signed_in_csam",
            _("Aanmelden als HTB"),
            "4",
            _('Meld u aan als de HTB, kies "Werkgever" en de hoedanigheid eHealth Gezondheidszorg.'),
        ),
        ScenarioStep(
            "subafdeling",
            _("Een subafdeling activeren"),
            "3.5.1",
            _(
                'Kies "Gebruikers - Subafdelingen" en voeg %(facility)s toe als subafdeling met de VIPA-autorisatie.'
            ),
        ),
        ScenarioStep(
            "right",
            _("Een gebruiker toevoegen met het recht op VIPA"),
            "3.6.1",
            _("Open de subafdeling, voeg een werknemer toe als gebruiker en vink de VIPA-toepassing aan."),
        ),
        ScenarioStep(
            "role",
            _("Rollen toekennen"),
            "3.6.2",
            _(
                "Voor eVIPA is geen rol nodig; voor BelRAI wel. Een rol is binnen maximum 20 minuten van kracht."
            ),
            optional=True,
        ),
        ScenarioStep(
            "signed_in",
            _("Aanmelden op de toepassing"),
            "2.2",
            _("Wissel naar de gebruiker en meld aan op eVIPA: het recht geldt meteen."),
        ),
    ],
}


@dataclass
class PanelStep:
    step: ScenarioStep
    done: bool
    current: bool = False
    facility: str = ""

    @property
    def todo(self) -> str:
        """What to do, naming the sandbox's own facility where the step is about it."""
        text = str(self.step.todo)
        return text % {"facility": self.facility or "HUIZE …"} if "%(facility)s" in text else text

    @property
    def section(self) -> Section | None:
        """The step's section of the manual, rendered as Help shows it, for the panel to quote whole."""
        return manual_section(self.step.manual)

    @property
    def anchor(self) -> str:
        return "h-" + self.step.manual.replace(".", "-")


def scenario_expressions() -> dict:
    """The scenarios' own facts about a sandbox (an ``OuterRef`` to it), beside roles.progress's steps:
    its legal representative signed in (eID or a persona switch), an HTB procedure started, its
    answers given; and the name of the facility chapter 4 activates (``facility_name``)."""
    drafts = HtbDraft.objects.filter(enterprise=OuterRef("enterprise"))
    return {
        "signed_in_csam": Exists(
            AuditEvent.objects.filter(
                action="signin.success",
                actor__sandbox_part__sandbox=OuterRef("pk"),
                actor__sandbox_part__part=Part.LEGAL_REPRESENTATIVE,
            )
        ),
        "draft": Exists(drafts),
        "answered": Exists(drafts.exclude(choice="")),
        "facility_name": Subquery(
            Facility.objects.filter(
                enterprise=OuterRef("enterprise"), name__startswith=f"{SCENARIO_FACILITY} "
            )
            .order_by("pk")
            .values("name")[:1]
        ),
    }


def scenario_state(sandbox: Sandbox) -> dict:
    """The scenario's steps, which are done, the current one, and whether it is finished, from a
    sandbox annotated by training.selectors.with_progress (the panel and the dashboard alike)."""
    scenario = Scenario(sandbox.classroom.scenario)
    facility = getattr(sandbox, "facility_name", "") or ""
    steps = [
        PanelStep(step, bool(getattr(sandbox, step.key, False)), facility=facility)
        for step in STEPS[scenario]
    ]
    # A later step done means the earlier ones are too (a trainee may take another path to the goal).
    for index in range(len(steps) - 1, 0, -1):
        if steps[index].done:
            for earlier in steps[:index]:
                if not earlier.step.optional:
                    earlier.done = True
            break
    current = next((s for s in steps if not s.done and not s.step.optional), None)
    if current:
        current.current = True
    return {
        "title": scenario.label,
        "steps": steps,
        "current": current,
        "number": steps.index(current) + 1 if current else len(steps),
        "finished": current is None,
    }


def scenario_panel(sandbox: Sandbox) -> dict:
    """The side panel: the scenario's steps, which are done, and the current one (one query)."""
    from training.selectors import sandbox_progress

    return scenario_state(sandbox_progress(sandbox))
