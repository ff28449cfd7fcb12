import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from accessportal import outbox
from accessportal.celery import app as celery_app
from accessportal.models import OutboxMail


@pytest.mark.django_db
def test_enqueued_mail_is_relayed_after_commit_with_its_message_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = outbox.mail_enqueue(to="els.janssens@delinde.be", subject="Onderwerp", body="Tekst")
        assert mail.outbox == []  # nothing leaves before the change commits
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["els.janssens@delinde.be"]
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1


@pytest.mark.django_db
def test_a_row_is_sent_once_however_often_it_is_delivered():
    row = outbox.mail_enqueue(to="a@example.be", subject="S", body="B")
    assert outbox.mail_deliver(mail_id=row.pk) is True
    assert outbox.mail_deliver(mail_id=row.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.mail_enqueue(to="a@example.be", subject="S", body="B")
        raise RuntimeError("the change failed")
    assert OutboxMail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_sweep_sends_what_the_broker_lost(frozen_clock, settings):
    lost = outbox.mail_enqueue(to="lost@example.be", subject="S", body="B")  # on_commit never ran
    fresh_clock_rows = outbox.outbox_sweep()
    assert fresh_clock_rows == 0  # too young: the relay may still be on its way
    frozen_clock.advance(settings.OUTBOX_RETRY_AFTER + timedelta(seconds=1))
    assert outbox.outbox_sweep() == 1
    lost.refresh_from_db()
    assert lost.is_sent
    assert outbox.outbox_sweep() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failed_send_is_recorded_and_retried(settings, frozen_clock):
    settings.MAILERS = {"default": {"BACKEND": "tests.accessportal.failing_backend.EmailBackend"}}
    row = outbox.mail_enqueue(to="a@example.be", subject="S", body="B")
    assert outbox.mail_deliver(mail_id=row.pk) is False
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and "SMTP" in row.last_error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    frozen_clock.advance(minutes=5)
    assert outbox.outbox_sweep() == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_relays_the_mail():
    """A Celery worker on the configured broker (Redis in CI, the filesystem transport otherwise)."""
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10):
            row = outbox.mail_enqueue(to="worker@example.be", subject="Via de worker", body="B")  # autocommit
            for _ in range(300):  # up to 30 s: a loaded CI machine starts the worker slowly
                row.refresh_from_db()
                if row.sent_at:
                    break
                time.sleep(0.1)
    finally:
        celery_app.conf.task_always_eager = True
    assert row.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Via de worker"]
