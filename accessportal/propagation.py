"""The propagation delay: a role change is saved at once and reaches the applications later (manual
3.6.2, "binnen maximum 20 minuten van kracht"; rights take effect at once, 3.6.1).

A target model keeps two sets of fields: what the administrator saved (shown on the screens) and
what the applications see (its *effective* fields, read by the access decision), plus
``pending_until``: the moment of its next pending change, for the screens' "van kracht om HH:MM".
A change writes a ``Propagation`` row in the transaction of the change; when it is due, the outbox
sweep (and a Celery task scheduled for that moment) applies it: the effective fields take its
values, or the target is deleted, in the transaction that marks the row applied. A row is locked
while it is applied and only applied when no earlier change of the same target is still waiting,
so it takes effect exactly once, in order, and never early; a lost broker message or a killed
worker only postpones it to the next sweep.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Min, Model, Q
from django.template.loader import render_to_string
from django.utils import translation

from accessportal import clock
from accessportal.messaging import message_send
from accessportal.models import Propagation
from accessportal.outbox import mail_enqueue

logger = logging.getLogger(__name__)


def _label(target: Model) -> str:
    return target._meta.label_lower


def _schedule_apply(propagation_id: int) -> None:
    from accessportal.tasks import apply_propagation

    try:
        apply_propagation.apply_async(
            args=[propagation_id], countdown=settings.PROPAGATION_DELAY.total_seconds()
        )
    except Exception:  # the broker is down: the sweep applies it
        logger.warning("Could not schedule propagation %s; the outbox sweep will apply it.", propagation_id)


def propagation_due():
    """When a change saved now takes effect."""
    return clock.now() + settings.PROPAGATION_DELAY


def propagation_enqueue(
    *,
    target: Model,
    enterprise_kbo: str,
    values: dict | None = None,
    delete: bool = False,
    notify: dict | None = None,
    due=None,
) -> Propagation:
    """Save a change of ``target`` that takes effect after ``PROPAGATION_DELAY``: its effective
    fields take ``values`` (or it is deleted). ``notify``, if given, is sent when it takes effect:
    ``{"person": id, "to": address, "language": "nl", "template": name, "context": {...}}``,
    rendered from ``mails/<template>.txt`` and ``_subject.txt`` as a mail and a structured message.
    Call it inside the transaction of the change. ``due``: a ``propagation_due()`` the caller already
    saved the target with (its ``pending_until``), sparing the target's UPDATE."""
    due = due or propagation_due()
    propagation = Propagation.objects.create(
        target_model=_label(target),
        target_id=target.pk,
        target_repr=str(target)[:300],
        enterprise_kbo=enterprise_kbo,
        values=values or {},
        delete=delete,
        notify=notify,
        due_at=due,
    )
    if target.pending_until != due:
        type(target).objects.filter(pk=target.pk).update(pending_until=due)
        target.pending_until = due
    transaction.on_commit(lambda: _schedule_apply(propagation.pk))
    return propagation


def propagations_cancel(*, target: Model) -> int:
    """Withdraw the target's changes that did not take effect yet (e.g. a right unticked and ticked
    again before its removal was due)."""
    cancelled = Propagation.objects.filter(
        target_model=_label(target), target_id=target.pk, applied_at=None, cancelled_at=None
    ).update(cancelled_at=clock.now())
    type(target).objects.filter(pk=target.pk).update(pending_until=None)
    target.pending_until = None
    return cancelled


def _pending_of(label: str, target_id: int):
    return Propagation.objects.filter(
        target_model=label, target_id=target_id, applied_at=None, cancelled_at=None
    )


def propagation_apply(*, propagation_id: int) -> bool:
    """Apply one due propagation if nobody did yet. Returns whether this call applied it."""
    with transaction.atomic():
        propagation = (
            Propagation.objects.select_for_update(skip_locked=True)
            .filter(pk=propagation_id, applied_at=None, cancelled_at=None, due_at__lte=clock.now())
            .first()
        )
        if propagation is None:
            return False
        label, target_id = propagation.target_model, propagation.target_id
        earlier = _pending_of(label, target_id).filter(
            Q(due_at__lt=propagation.due_at) | Q(due_at=propagation.due_at, pk__lt=propagation.pk)
        )
        if earlier.exists():  # an earlier change of this target first (another sweep holds it)
            return False
        model = apps.get_model(label)
        target = model.objects.select_for_update().filter(pk=target_id).first()
        if target is not None:
            if propagation.delete:
                target.delete()
            else:
                _apply_values(target, propagation.values)
        propagation.applied_at = clock.now()
        propagation.save(update_fields=["applied_at"])
        if target is not None and not propagation.delete:
            following = _pending_of(label, target_id).aggregate(due=Min("due_at"))["due"]
            model.objects.filter(pk=target_id).update(pending_until=following)
        if propagation.notify and target is not None:
            _notify(propagation.notify)
        return True


def _apply_values(target: Model, values: dict) -> None:
    for name, value in values.items():
        field = target._meta.get_field(name)
        setattr(target, field.attname, field.to_python(value))
    target.save(update_fields=[target._meta.get_field(name).attname for name in values])


def _notify(notice: dict) -> None:
    person = apps.get_model(settings.AUTH_USER_MODEL).objects.filter(pk=notice["person"]).first()
    if person is None:
        return
    template, context = notice["template"], notice.get("context", {})
    with translation.override(notice.get("language") or "nl"):
        subject = " ".join(render_to_string(f"mails/{template}_subject.txt", context).split())
        body = render_to_string(f"mails/{template}.txt", context).strip() + "\n"
        message_send(recipient=person, subject=subject, body=body, category=notice.get("category", ""))
    if notice.get("to"):
        mail_enqueue(
            to=notice["to"], subject=subject, body=body, language=notice.get("language", "nl"), person=person
        )


def propagations_apply_due(
    *, enterprise_kbo: str | None = None, enterprise_kbos: list[str] | None = None, limit: int = 1000
) -> int:
    """Apply every due propagation (of one enterprise or of a few, when given), oldest first; part of
    the outbox sweep, and of a simulated world's clock (a training sandbox, the demo world)."""
    due = Propagation.objects.filter(applied_at=None, cancelled_at=None, due_at__lte=clock.now())
    if enterprise_kbo is not None:
        due = due.filter(enterprise_kbo=enterprise_kbo)
    if enterprise_kbos is not None:
        due = due.filter(enterprise_kbo__in=enterprise_kbos)
    due = list(due.order_by("due_at", "id").values_list("pk", flat=True)[:limit])
    return sum(1 for propagation_id in due if propagation_apply(propagation_id=propagation_id))


def pending_effects(*, enterprise_kbo: str | None = None, enterprise_kbos: list[str] | None = None):
    """The saved changes (of one enterprise or of a few, when given) that did not take effect yet."""
    pending = Propagation.objects.filter(applied_at=None, cancelled_at=None)
    if enterprise_kbo is not None:
        pending = pending.filter(enterprise_kbo=enterprise_kbo)
    if enterprise_kbos is not None:
        pending = pending.filter(enterprise_kbo__in=enterprise_kbos)
    return pending


def next_pending_effect(*, enterprise_kbo: str | None = None, enterprise_kbos: list[str] | None = None):
    """The moment the next saved change (of one enterprise or of a few, when given) takes effect, or
    None."""
    pending = pending_effects(enterprise_kbo=enterprise_kbo, enterprise_kbos=enterprise_kbos)
    return pending.aggregate(due=Min("due_at"))["due"]
