"""The audit trail: every service writes one event in its own transaction."""

from django.db import connection, models
from django.forms.models import model_to_dict

from accessportal.models import AuditEvent

# Called with (event, target) after each event is written, in the same transaction: the history app
# keeps its scopes and periods this way (accessportal imports no app; apps register themselves).
_listeners: list = []


def audit_listener_add(listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def audit_snapshot(instance: models.Model | None, fields: list[str] | None = None) -> dict | None:
    if instance is None:
        return None
    data = model_to_dict(instance, fields=fields)
    return {key: (value.pk if isinstance(value, models.Model) else value) for key, value in data.items()}


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    enterprise_kbo: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Write one audit event. Must run inside the service's transaction, so it commits or rolls back
    with the change it describes."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction.atomic().")
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        enterprise_kbo=enterprise_kbo,
        before=before,
        after=after,
    )
    for listener in _listeners:
        listener(event, target)
    return event
